import type { Document, MongoClient, Collection, FindCursor } from 'mongodb';
import type { Source, SourceBatch } from '../../stages/source.js';
import type { Offset } from '../../stages/offset.js';
import type { StageContext } from '../../stages/context.js';
import { FastlaneError } from '../../errors.js';
import { connect, serverLabel } from './client.js';
import type { MongodbSourceConfig } from './config.js';
import { buildFilter } from './filter.js';
import { declaredType, inferColumns } from './infer.js';
import { afterCondition, findElement, offsetPart } from './keys.js';
import { PageDecoder, arrowSchema, type ColumnPlan } from './page.js';
import type { Schema } from 'apache-arrow';

/**
 * Reads a collection in (replication_key, _id) order through one cursor of raw BSON documents:
 * the driver hands over each document's bytes, decoded here straight into Arrow columns. The
 * cursor fetches the next server batch only when this one is consumed (backpressure).
 */
class MongodbSource implements Source {
  private client: MongoClient | null = null;
  private collection: Collection | null = null;
  private plans: ColumnPlan[] = [];
  private schema: Schema | null = null;
  private filter: Document = {};
  private keyIsNumeric = false;
  private readonly keyPath: string[];
  private readonly mismatches = new Map<string, number>();

  constructor(private readonly config: MongodbSourceConfig, private readonly context: StageContext) {
    this.keyPath = config.replication_key.split('.');
  }

  async open(): Promise<void> {
    this.filter = buildFilter(this.config.filter_fields);
    this.client = await connect(this.config);
    const db = this.client.db(this.config.database);
    const found = await this.bounded(db.listCollections({ name: this.config.collection }, { nameOnly: true }).toArray(), 'listCollections');
    if (found.length === 0) {
      throw new FastlaneError('FL_SOURCE', `collection '${this.config.collection}' does not exist in database '${this.config.database}' on ${serverLabel(this.config)}: check source.mongodb.database and collection (names are case-sensitive)`);
    }
    this.collection = db.collection(this.config.collection);
    const sample = await this.sample();
    this.plans = this.choosePlans(sample);
    this.schema = arrowSchema(this.plans);
    const key = sample.length > 0 ? findElement(sample[0], 0, this.keyPath) : null;
    this.keyIsNumeric = key !== null && offsetPart(sample[0], key, this.config.replication_key).kind === 'number';
  }

  private async sample(): Promise<Buffer[]> {
    if (this.config.columns !== undefined && !Array.isArray(this.config.columns)) return [];
    const cursor = this.find(this.filter, { limit: this.config.sample_size });
    return this.bounded(cursor.toArray(), 'the sample') as Promise<Buffer[]>;
  }

  private choosePlans(sample: Buffer[]): ColumnPlan[] {
    const columns = this.config.columns;
    const idColumn = (plan: ColumnPlan): ColumnPlan => (plan.name === '_id' ? { name: '_id', type: { kind: 'objectid' } } : plan);
    if (columns !== undefined && !Array.isArray(columns)) {
      return Object.entries(columns as Record<string, string>).map(([name, spec]) => ({ name, type: declaredType(spec, name) }));
    }
    const inferred = inferColumns(sample, this.config.nested === 'flatten').map(idColumn);
    if (columns === undefined) return inferred.filter((plan) => plan.name !== '_id' || this.config.include_id);
    const named = columns as readonly string[];
    // A named field the sample never saw is still a column: JSON text, NULL where absent.
    return named.map((name) => inferred.find((plan) => plan.name === name) ?? idColumn({ name, type: { kind: 'json' } }));
  }

  private find(filter: Document, options: { limit?: number; batchSize?: number }): FindCursor<Document> {
    const key = this.config.replication_key;
    const sort: Document = key === '_id' ? { _id: 1 } : { [key]: 1, _id: 1 };
    return (this.collection as Collection).find(filter, { sort, raw: true, ...options });
  }

  /** Bounds a wait on the server, so a silent server fails the run instead of hanging it. */
  private async bounded<T>(promise: Promise<T>, what: string): Promise<T> {
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new FastlaneError('FL_SOURCE', `MongoDB did not answer ${what} within ${this.config.timeout_ms} ms (source.mongodb.timeout_ms)`)), this.config.timeout_ms);
    });
    try {
      return await Promise.race([promise, timeout]);
    } catch (error) {
      throw error instanceof FastlaneError ? error : new FastlaneError('FL_SOURCE', `MongoDB failed ${what} on ${this.config.database}.${this.config.collection}: ${(error as Error).message}`, { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }

  /** The query: the config's filter and, when resuming, the documents after the offset. */
  private query(startAfter: Offset | null): Document {
    // The seed's offset -1 means "from the start", also for keys that are not numbers.
    const fromStart = startAfter === null || (typeof startAfter === 'number' && startAfter < 0 && !this.keyIsNumeric);
    if (fromStart) return this.filter;
    const after = afterCondition(startAfter, this.config.replication_key);
    return Object.keys(this.filter).length === 0 ? after : { $and: [this.filter, after] };
  }

  batches(startAfter: Offset | null): AsyncIterable<SourceBatch> {
    return this.read(this.query(startAfter));
  }

  private async *read(query: Document): AsyncGenerator<SourceBatch> {
    const cursor = this.find(query, { batchSize: this.config.batch_size });
    const counter = { mismatch: (column: string) => this.countMismatch(column) };
    const newPage = (): PageDecoder => new PageDecoder(this.plans, this.schema as Schema, this.config.batch_size, counter, this.config.nested === 'flatten');
    let page = newPage();
    let last: Buffer | null = null;
    try {
      // Whole server batches are taken at once: one await per batch, not per document.
      while (cursor.bufferedCount() > 0 || (await this.bounded(cursor.hasNext(), 'the next batch'))) {
        for (const doc of cursor.readBufferedDocuments() as unknown as Buffer[]) {
          page.add(doc, 0);
          last = doc;
          if (page.rows === this.config.batch_size) {
            yield { table: page.finish(), lastKey: this.lastKey(last) };
            page = newPage();
          }
        }
      }
      if (page.rows > 0) yield { table: page.finish(), lastKey: this.lastKey(last as Buffer) };
    } finally {
      await cursor.close().catch(() => undefined);
    }
  }

  /** The offset of a batch: the (key, _id) of its last document (just _id when that is the key). */
  private lastKey(doc: Buffer): Offset {
    const id = offsetPart(doc, findElement(doc, 0, ['_id']), '_id');
    if (this.config.replication_key === '_id') return { parts: [id] };
    return { parts: [offsetPart(doc, findElement(doc, 0, this.keyPath), this.config.replication_key), id] };
  }

  private countMismatch(column: string): void {
    const name = `mongodb field '${column}': values of another type read as NULL`;
    const count = (this.mismatches.get(name) ?? 0) + 1;
    this.mismatches.set(name, count);
    if (count === 1) this.context.logger.warn(`source.mongodb: ${name} (the column's type came from ${this.config.columns && !Array.isArray(this.config.columns) ? 'columns' : 'the sample'}; declare it as json in source.mongodb.columns to keep every value)`);
  }

  async close(): Promise<void> {
    await this.client?.close().catch(() => undefined);
    this.client = null;
  }

  warnings(): Record<string, number> {
    return Object.fromEntries(this.mismatches);
  }
}

/** Builds the source (the connector in ./connector.js imports this module only when a run uses it). */
export function createMongodbSource(config: MongodbSourceConfig, context: StageContext): Source {
  return new MongodbSource(config, context);
}

import type { Source, SourceBatch } from '../../stages/source.js';
import type { Offset } from '../../stages/offset.js';
import type { StageContext } from '../../stages/context.js';
import { FastlaneError } from '../../errors.js';
import type { MysqlSourceConfig } from './config.js';
import { MysqlLink } from './link.js';
import { checkedName, qualifiedTable } from './identifiers.js';
import type { KeyKind } from './page-builder.js';
import { readPage, type Page, type PageShape } from './page-query.js';
import { partitionedBatches, splitKeyRange } from './partitions.js';
import { PagePool } from './page-pool.js';
import { isIntegerType, planColumn, type ColumnInfo, type ColumnPlan } from './source-types.js';
import { readColumns } from './table-info.js';
import { startKey } from './start-key.js';

/**
 * Reads a MySQL table in key order by keyset pages (`WHERE key > ? ORDER BY key LIMIT ?`), the
 * next page fetched while the current one is handed on. The Arrow schema comes from
 * INFORMATION_SCHEMA, so it is exact and the same for every page, even an empty table.
 * A page read whose connection is lost or stalls is read again on a new connection (MysqlLink):
 * it starts after the last key already handed on, so the run resumes where it was.
 */
class MysqlSource implements Source {
  private readonly link: MysqlLink;
  private readonly extraLinks: MysqlLink[] = [];
  private plans: ColumnPlan[] = [];
  private keyIndex = -1;
  private keyKind: KeyKind = 'integer';
  private readonly warningCounts = new Map<string, number>();
  private pageShape: PageShape | null = null;
  private readonly table: string;
  private readonly key: string;

  constructor(private readonly config: MysqlSourceConfig, private readonly context: StageContext) {
    this.table = qualifiedTable(config.db, config.table, 'source.mysql');
    this.key = checkedName(config.key, 'source.mysql.key');
    this.link = this.newLink();
  }

  private newLink(): MysqlLink {
    return new MysqlLink(this.config, { section: 'source.mysql', logger: this.context.logger });
  }

  async open(): Promise<void> {
    const columns = await this.link.run('read the columns', (c) => readColumns(c, this.config.db, this.config.table));
    if (columns.length === 0) {
      throw new FastlaneError('FL_SOURCE', `table ${this.config.db}.${this.config.table} does not exist or is not visible to this user: check source.mysql.db, source.mysql.table and the user's grants`);
    }
    const chosen = this.chooseColumns(columns);
    this.plans = chosen.map((info) => planColumn(info, `${this.config.db}.${this.config.table}`));
    this.keyIndex = chosen.findIndex((info) => info.name === this.config.key);
    this.keyKind = isIntegerType(chosen[this.keyIndex].dataType) ? 'integer' : 'text';
    const pages = new PagePool(this.plans, this.keyIndex, this.keyKind, this.config.batch_size, this.warningCounts);
    this.pageShape = { plans: this.plans, table: this.table, key: this.key, batchSize: this.config.batch_size, pages, warn: (message) => this.context.logger.warn(message) };
  }

  private chooseColumns(columns: ColumnInfo[]): ColumnInfo[] {
    const names = columns.map((c) => c.name);
    const where = `${this.config.db}.${this.config.table}`;
    if (!names.includes(this.config.key)) {
      throw new FastlaneError('FL_SOURCE', `source.mysql.key '${this.config.key}' is not a column of ${where}; its columns: ${names.join(', ')}`);
    }
    if (!this.config.columns) return columns;
    const missing = this.config.columns.filter((name) => !names.includes(name));
    if (missing.length > 0) {
      throw new FastlaneError('FL_SOURCE', `source.mysql.columns names ${missing.join(', ')}, not in ${where}; its columns: ${names.join(', ')}`);
    }
    if (!this.config.columns.includes(this.config.key)) {
      throw new FastlaneError('FL_CONFIG_INVALID', `source.mysql.columns must include the key '${this.config.key}': pages are read in key order`);
    }
    return this.config.columns.map((name) => columns[names.indexOf(name)]);
  }

  private get shape(): PageShape {
    return this.pageShape as PageShape;
  }

  private readPage(after: Offset | null): Promise<Page> {
    return this.link.run(`read the page after key ${after === null ? '(start)' : String(after)}`, (c) => readPage(c, this.shape, after));
  }

  batches(startAfter: Offset | null): AsyncIterable<SourceBatch> {
    const start = startKey(startAfter, this.keyKind);
    if (!(this.config.partitions > 1)) return this.keyOrderBatches(start);
    if (this.context.replicationMode === 'INCREMENTAL' || this.keyKind !== 'integer') {
      this.context.logger.warn('source.mysql.partitions applies to FULL_TABLE runs over an integer key: reading over one connection');
      return this.keyOrderBatches(start);
    }
    return this.partitioned(start as bigint | null);
  }

  /** FULL_TABLE over an integer key: the key span split over `partitions` connections. */
  private async *partitioned(start: bigint | null): AsyncGenerator<SourceBatch> {
    const where = start === null ? '' : ` WHERE ${this.key} > ?`;
    const [rows] = await this.link.run('read the key span', (c) => c.query(`SELECT MIN(${this.key}) AS low, MAX(${this.key}) AS high FROM ${this.table}${where}`, start === null ? [] : [start]));
    const { low, high } = (rows as { low: string | number | null; high: string | number | null }[])[0];
    if (low === null || high === null) return;
    const ranges = splitKeyRange(BigInt(low), BigInt(high), this.config.partitions);
    const links = [this.link, ...ranges.slice(1).map(() => this.newLink())];
    this.extraLinks.push(...links.slice(1));
    const readers = links.map((link) => (after: bigint | string, upTo: bigint) => link.run(`read the page after key ${String(after)}`, (c) => readPage(c, this.shape, after, upTo)));
    yield* partitionedBatches(this.shape, ranges, readers);
  }

  /** Pages in key order over one connection, the next one read while this one is handed on. */
  private async *keyOrderBatches(start: Offset | null): AsyncGenerator<SourceBatch> {
    let pending: Promise<Page> | null = this.readPage(start);
    try {
      while (pending) {
        const page: Page = await pending;
        pending = null;
        if (page.rows === 0) return;
        // A short page is the last: no query for the empty page after it.
        if (page.rows === this.config.batch_size) pending = this.readPage(page.lastKey ?? null);
        yield { table: page.table, lastKey: page.lastKey, release: page.release };
      }
    } finally {
      // Stopped early: let the prefetched page finish quietly before the connection closes.
      await pending?.catch(() => undefined);
    }
  }

  async close(): Promise<void> {
    await Promise.all([this.link, ...this.extraLinks.splice(0)].map((link) => link.close()));
  }

  /**
   * InnoDB's row estimate from the table statistics (can be off by tens of percent; exact
   * counting would scan the table). An INCREMENTAL run reads only part of it: no estimate then.
   */
  async estimatedRows(): Promise<number | null> {
    if (this.context.replicationMode !== 'FULL_TABLE') return null;
    const [rows] = await this.link.run('estimate the row count', (c) => c.query('SELECT TABLE_ROWS AS n FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = ?', [this.config.db, this.config.table]));
    const n = Number((rows as { n: unknown }[])[0]?.n);
    return Number.isFinite(n) && n > 0 ? n : null;
  }

  warnings(): Record<string, number> {
    return Object.fromEntries(this.warningCounts);
  }
}

/** Builds the source (the connector in ./connector.js imports this module only when a run uses it). */
export function createMysqlSource(config: MysqlSourceConfig, context: StageContext): Source {
  return new MysqlSource(config, context);
}

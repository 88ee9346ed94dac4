import { Field, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { JSON_METADATA_KEY } from '../../arrow/column-types.js';
import { BSON, BsonFormatError, cstringEnd, int32At, valueEnd } from './bson-bytes.js';
import { createColumn, type BsonColumn, type ColumnType } from './columns.js';

/** A column of the output: the field's path (a.b.c when flattened) and its type. */
export interface ColumnPlan {
  readonly name: string;
  readonly type: ColumnType;
}

/** Counts values that became NULL because their type did not fit the column. */
export interface MismatchCounter {
  mismatch(column: string): void;
}

/** The Arrow schema of the planned columns; JSON columns are marked as such for the targets. */
export function arrowSchema(plans: readonly ColumnPlan[]): Schema {
  return new Schema(plans.map((plan) => {
    const type = createColumn(plan.type, 0).type;
    const metadata = plan.type.kind === 'json' ? new Map([[JSON_METADATA_KEY, 'json']]) : undefined;
    return new Field(plan.name, type, true, metadata);
  }));
}

/**
 * Decodes raw BSON documents straight into Arrow columns for one batch: each element's name is
 * matched to its column (by bytes, guessing the next column from the last document's field order,
 * so most documents cost no string per field) and its value bytes go to that column's storage.
 */
export class PageDecoder {
  private readonly columns: BsonColumn[];
  private readonly names: Buffer[];
  private readonly byName: Map<string, number>;
  /** Per column: the column that followed it in the last document, as the guess for the next. */
  private readonly nextGuess: Int32Array;
  private readonly filled: Uint8Array;
  rows = 0;

  constructor(private readonly plans: readonly ColumnPlan[], private readonly schema: Schema, capacity: number, private readonly counter: MismatchCounter, private readonly flatten: boolean) {
    this.columns = plans.map((plan) => createColumn(plan.type, capacity));
    this.names = plans.map((plan) => Buffer.from(plan.name, 'utf8'));
    this.byName = new Map(plans.map((plan, i) => [plan.name, i]));
    this.nextGuess = new Int32Array(plans.length + 1).fill(-1);
    this.filled = new Uint8Array(plans.length);
  }

  /** Adds one document (the bytes buf[start, start + its length)). */
  add(buf: Buffer, start: number): void {
    const row = this.rows;
    this.filled.fill(0);
    this.walk(buf, start, '', row);
    for (let i = 0; i < this.columns.length; i++) if (this.filled[i] === 0) this.columns[i].appendNull(row);
    this.rows = row + 1;
  }

  private walk(buf: Buffer, start: number, prefix: string, row: number): void {
    const size = int32At(buf, start);
    const end = start + size - 1;
    if (size < 5 || end >= buf.length || buf[end] !== 0) throw new BsonFormatError('a document is cut short or not terminated');
    let at = start + 4;
    let previous = this.plans.length;
    while (at < end) {
      const type = buf[at];
      const nameStart = at + 1;
      const nameEnd = cstringEnd(buf, nameStart, end);
      const valueStart = nameEnd;
      const valueStop = valueEnd(buf, type, valueStart, end);
      if (this.flatten && type === BSON.DOCUMENT) {
        this.walk(buf, valueStart, `${prefix}${buf.toString('utf8', nameStart, nameEnd - 1)}.`, row);
      }
      const column = prefix === '' ? this.columnOf(buf, nameStart, nameEnd - 1, previous) : this.byName.get(prefix + buf.toString('utf8', nameStart, nameEnd - 1)) ?? -1;
      if (column >= 0 && this.filled[column] === 0) {
        this.put(column, buf, type, valueStart, valueStop, row);
        if (prefix === '') {
          this.nextGuess[previous] = column;
          previous = column;
        }
      }
      at = valueStop;
    }
  }

  private put(column: number, buf: Buffer, type: number, at: number, end: number, row: number): void {
    this.filled[column] = 1;
    if (type === BSON.NULL || type === BSON.UNDEFINED || (this.flatten && type === BSON.DOCUMENT && this.plans[column].type.kind !== 'json')) {
      this.columns[column].appendNull(row);
    } else if (!this.columns[column].append(buf, type, at, end, row)) {
      this.columns[column].appendNull(row);
      this.counter.mismatch(this.plans[column].name);
    }
  }

  /** The column named buf[start, end), trying first the one that followed `previous` last time. */
  private columnOf(buf: Buffer, start: number, end: number, previous: number): number {
    const guess = this.nextGuess[previous];
    if (guess >= 0 && sameBytes(this.names[guess], buf, start, end)) return guess;
    return this.byName.get(buf.toString('utf8', start, end)) ?? -1;
  }

  /** The batch as a table over the columns' storage. */
  finish(): Table {
    const length = this.rows;
    const children = this.columns.map((column) => column.finish(length));
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new Table(this.schema, [new RecordBatch(this.schema, struct)]);
  }
}

function sameBytes(name: Buffer, buf: Buffer, start: number, end: number): boolean {
  if (name.length !== end - start) return false;
  for (let i = 0; i < name.length; i++) if (name[i] !== buf[start + i]) return false;
  return true;
}

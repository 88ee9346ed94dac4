import { RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import type { ColumnBuilder } from '../../arrow/builders/column-builder.js';
import { ValueError } from '../../arrow/builders/column-builder.js';
import type { BinaryBuilder, Utf8Builder } from '../../arrow/builders/text.js';
import { FastlaneError } from '../../errors.js';
import type { Offset } from '../../stages/offset.js';
import type { ColumnPlan, ValueKind } from './source-types.js';

/** A raw value of the text protocol with typeCast off: the bytes the server sent, or null. */
export type RawValue = Buffer | null;
type Appender = (value: RawValue) => void;

/** MySQL's zero dates ('0000-00-00', '2024-00-10'): no Arrow date holds them. */
const ZERO_DATE_PART = /^\d{4}-(?:00-\d{2}|\d{2}-00)|^0000-/;

/** How the key of the last row becomes an offset: integers exact as bigint, the rest as text. */
export type KeyKind = 'integer' | 'text';

/**
 * Builds one page of rows into an Arrow table, column by column, straight from the protocol's
 * bytes: text and blobs are copied without decoding, numbers and dates parsed from ASCII.
 */
export class PageBuilder {
  private readonly builders: ColumnBuilder[];
  private readonly appenders: Appender[];
  private readonly schema: Schema;
  private lastKeyRaw: RawValue = null;
  rows = 0;

  constructor(private readonly plans: readonly ColumnPlan[], private readonly keyIndex: number, private readonly keyKind: KeyKind, private readonly warnings: Map<string, number>) {
    this.builders = plans.map((plan) => plan.createBuilder());
    this.appenders = plans.map((plan, i) => this.appender(plan.kind, this.builders[i]));
    this.schema = new Schema(plans.map((plan) => plan.field));
  }

  private appender(kind: ValueKind, builder: ColumnBuilder): Appender {
    if (kind === 'bytes') return (v) => (builder as Utf8Builder | BinaryBuilder).appendBytes(v);
    if (kind === 'bit') return (v) => builder.append(v === null ? null : bitValue(v));
    if (kind === 'date') return (v) => builder.append(v === null ? null : this.dateText(v.toString('latin1')));
    return (v) => builder.append(v === null ? null : v.toString('latin1'));
  }

  private dateText(text: string): string | null {
    if (!ZERO_DATE_PART.test(text)) return text;
    this.warnings.set('zero_dates_as_null', (this.warnings.get('zero_dates_as_null') ?? 0) + 1);
    return null;
  }

  /** Appends one row; a value its column type cannot hold fails with the column and key named. */
  append(row: readonly RawValue[]): void {
    if (row[this.keyIndex] === null) {
      // Keyset paging cannot resume after a NULL key: refuse rather than loop or skip rows.
      throw new FastlaneError('FL_SOURCE_DATA', `the key column '${this.plans[this.keyIndex].name}' holds NULL: choose a NOT NULL, unique key (the primary key) in source.mysql.key`);
    }
    for (let i = 0; i < this.appenders.length; i++) {
      try {
        this.appenders[i](row[i]);
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        const key = row[this.keyIndex]?.toString('utf8') ?? 'NULL';
        throw new FastlaneError('FL_SOURCE_DATA', `column '${this.plans[i].name}' of the row with key ${key}: ${error.message}`, { cause: error });
      }
    }
    this.lastKeyRaw = row[this.keyIndex];
    this.rows++;
  }

  /** The key of the last row appended, as an offset. */
  lastKey(): Offset | undefined {
    if (this.lastKeyRaw === null) return undefined;
    return this.keyKind === 'integer' ? BigInt(this.lastKeyRaw.toString('latin1')) : this.lastKeyRaw.toString('utf8');
  }

  /** The rows appended so far as a table; the builder starts afresh. */
  finish(): Table {
    const length = this.rows;
    const children = this.builders.map((b) => b.finish());
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    this.rows = 0;
    this.lastKeyRaw = null;
    return new Table(this.schema, [new RecordBatch(this.schema, struct)]);
  }
}

/** BIT(n) arrives as big-endian bytes. */
function bitValue(bytes: Buffer): string {
  return bytes.length === 0 ? '0' : BigInt(`0x${bytes.toString('hex')}`).toString();
}

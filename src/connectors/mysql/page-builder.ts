import { RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { ValueError } from '../../arrow/builders/column-builder.js';
import { FastlaneError } from '../../errors.js';
import type { Offset } from '../../stages/offset.js';
import type { ColumnDecoder, DecodeWarnings } from './wire/decoder.js';
import type { RowSink } from './wire/row-capture.js';
import type { ColumnPlan } from './source-types.js';

/** How the key of the last row becomes an offset: integers exact as bigint, the rest as text. */
export type KeyKind = 'integer' | 'text';

const NULL_VALUE = 0xfb;

/**
 * Builds one page of rows into an Arrow table from the text protocol's row packets: each value's
 * length-coded bytes go straight to its column's decoder. Storage is sized for a page and the
 * finished table is views over it, without a copy; builders are pooled and reused, because on
 * these machines touching fresh memory costs more than decoding into it.
 */
export class PageBuilder implements RowSink {
  private readonly decoders: ColumnDecoder[];
  private readonly schema: Schema;
  private lastKey = Buffer.alloc(64);
  private lastKeyLength = 0;
  /** The first value a column could not hold; the rest of the page is skipped. */
  failure: Error | null = null;
  rows = 0;

  constructor(private readonly plans: readonly ColumnPlan[], private readonly keyIndex: number, private readonly keyKind: KeyKind, capacity: number, warnings: DecodeWarnings) {
    this.decoders = plans.map((plan) => plan.decoder(capacity, warnings));
    this.schema = new Schema(plans.map((plan) => plan.field));
  }

  row(buf: Buffer, start: number, end: number): void {
    if (this.failure !== null) return;
    const decoders = this.decoders;
    const index = this.rows;
    let at = start;
    let column = 0;
    let keyStart = 0;
    let keyEnd = 0;
    try {
      for (; column < decoders.length; column++) {
        if (at >= end) throw new ValueError('the row packet ends before this column');
        let length = buf[at++];
        if (length === NULL_VALUE) {
          if (column === this.keyIndex) throw this.nullKey();
          decoders[column].appendNull(index);
          continue;
        }
        if (length > NULL_VALUE) [length, at] = longLength(buf, at, length);
        if (at + length > end) throw new ValueError('the row packet ends inside a value');
        decoders[column].append(buf, at, at + length, index);
        if (column === this.keyIndex) {
          keyStart = at;
          keyEnd = at + length;
        }
        at += length;
      }
    } catch (error) {
      this.failure = error instanceof ValueError ? this.located(error, column) : (error as Error);
      return;
    }
    // Only a row read whole counts: its key is the page's offset so far.
    this.keepKey(buf, keyStart, keyEnd);
    this.rows = index + 1;
  }

  private keepKey(buf: Buffer, start: number, end: number): void {
    const length = end - start;
    if (length > this.lastKey.length) this.lastKey = Buffer.alloc(length * 2);
    for (let i = 0; i < length; i++) this.lastKey[i] = buf[start + i];
    this.lastKeyLength = length;
  }

  private nullKey(): FastlaneError {
    // Keyset paging cannot resume after a NULL key: refuse rather than loop or skip rows.
    return new FastlaneError('FL_SOURCE_DATA', `the key column '${this.plans[this.keyIndex].name}' holds NULL: choose a NOT NULL, unique key (the primary key) in source.mysql.key`);
  }

  private located(error: ValueError, column: number): FastlaneError {
    const after = this.rows === 0 ? 'the first row of the page' : `the row after key ${this.lastKey.toString('utf8', 0, this.lastKeyLength)}`;
    return new FastlaneError('FL_SOURCE_DATA', `column '${this.plans[column].name}' of ${after}: ${error.message}`, { cause: error });
  }

  /** The key of the last row read, as an offset. */
  lastKeyOffset(): Offset | undefined {
    if (this.rows === 0) return undefined;
    const text = this.lastKey.toString(this.keyKind === 'integer' ? 'latin1' : 'utf8', 0, this.lastKeyLength);
    return this.keyKind === 'integer' ? BigInt(text) : text;
  }

  /** Empties the builder for another page, keeping (and later overwriting) its storage. */
  reset(): void {
    for (const decoder of this.decoders) decoder.reset();
    this.rows = 0;
    this.lastKeyLength = 0;
    this.failure = null;
  }

  /** The rows read as a table over the decoders' storage: valid until reset. */
  finish(): Table {
    const length = this.rows;
    const children = this.decoders.map((d) => d.finish(length));
    const struct = makeData({ type: new Struct(this.schema.fields), length, nullCount: 0, children });
    return new Table(this.schema, [new RecordBatch(this.schema, struct)]);
  }
}

/** A length-coded integer's value and the position after it (first byte 0xfc, 0xfd or 0xfe). */
function longLength(buf: Buffer, at: number, first: number): [number, number] {
  if (first === 0xfc) return [buf[at] | (buf[at + 1] << 8), at + 2];
  if (first === 0xfd) return [buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16), at + 3];
  if (first === 0xfe) return [buf.readUInt32LE(at) + buf.readUInt32LE(at + 4) * 4294967296, at + 8];
  throw new ValueError(`the row packet holds an invalid length byte 0x${first.toString(16)}`);
}

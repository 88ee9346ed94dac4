import type { ColumnBuilder } from '../../arrow/builders/column-builder.js';
import type { VariableWidthBuilder } from '../../arrow/builders/text.js';
import { FieldForm, type CsvRecord } from './csv-bytes.js';

/**
 * One row of a text file as its decoders hand it over. `text` decodes a value (the slow path:
 * sampling, keys, errors); `appendTo` puts it into a column builder by the fastest way.
 */
export interface RowView {
  readonly size: number;
  text(i: number): string | null;
  appendTo(i: number, builder: ColumnBuilder, utf8: VariableWidthBuilder | null): void;
  /** A copy that outlives the decoder's next row. */
  detach(): RowView;
}

/** A row of decoded values (NDJSON lines, sampled rows). */
export class TextRow implements RowView {
  constructor(readonly values: (string | null)[]) {}

  get size(): number {
    return this.values.length;
  }

  text(i: number): string | null {
    return this.values[i] ?? null;
  }

  appendTo(i: number, builder: ColumnBuilder): void {
    builder.append(this.values[i] ?? null);
  }

  detach(): RowView {
    return this;
  }
}

/** A CSV record read in place: UTF-8 text columns get their bytes copied, never decoded. */
export class CsvRow implements RowView {
  record!: CsvRecord;

  constructor(private readonly nullValue: Buffer) {}

  get size(): number {
    return this.record.count;
  }

  private isNull(i: number): boolean {
    const r = this.record;
    if (r.forms[i] !== FieldForm.Bare) return false;
    const length = r.ends[i] - r.starts[i];
    return length === this.nullValue.length && (length === 0 || r.bytes.compare(this.nullValue, 0, length, r.starts[i], r.ends[i]) === 0);
  }

  text(i: number): string | null {
    return this.isNull(i) ? null : this.record.text(i);
  }

  appendTo(i: number, builder: ColumnBuilder, utf8: VariableWidthBuilder | null): void {
    if (this.isNull(i)) builder.append(null);
    else if (utf8) utf8.appendBytes(this.record.raw(i));
    else builder.append(this.record.text(i));
  }

  detach(): RowView {
    return new TextRow(Array.from({ length: this.size }, (_, i) => this.text(i)));
  }
}

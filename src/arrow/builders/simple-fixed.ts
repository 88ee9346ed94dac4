import { makeData, type Data, type DataType } from 'apache-arrow';
import type { ColumnBuilder, FixedColumn, TypedArray } from './column-builder.js';
import { ValidityBits } from './growable.js';

/**
 * A builder of one fixed-width typed array: subclasses only say how to store one value.
 * `stride` is the number of array elements per value (4 words for a 128-bit decimal).
 */
export abstract class SimpleFixedBuilder<T extends TypedArray> implements ColumnBuilder {
  length = 0;
  private readonly validity = new ValidityBits();

  constructor(readonly type: DataType, protected readonly column: FixedColumn<T>, private readonly stride = 1) {}

  append(text: string | null): void {
    const index = this.length;
    const values = this.column.ensure((index + 1) * this.stride - 1);
    if (text === null) this.validity.set(index, false);
    else {
      this.store(values, index, text);
      this.validity.set(index, true);
    }
    this.length = index + 1;
  }

  protected abstract store(values: T, index: number, text: string): void;

  protected takeValidity(length: number): { nullCount: number; nullBitmap: Uint8Array } {
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    this.length = 0;
    return { nullCount, nullBitmap };
  }

  finish(): Data {
    const length = this.length;
    const { nullCount, nullBitmap } = this.takeValidity(length);
    const data = this.column.take(length * this.stride);
    return makeData({ type: this.type as never, length, nullCount, nullBitmap, data } as never);
  }
}

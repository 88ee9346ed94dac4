import type { Data, DataType } from 'apache-arrow';

/**
 * Builds one Arrow column from values given as text (CSV fields, JSON tokens, database text
 * protocol) or null. `append` throws a ValueError with what was wrong; the caller adds where.
 */
export interface ColumnBuilder {
  readonly type: DataType;
  readonly length: number;
  append(text: string | null): void;
  /** Returns the column built so far and starts an empty one. */
  finish(): Data;
}

export class ValueError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ValueError';
  }
}

/** Storage for fixed-width values, grown by doubling. */
export type TypedArray = Int8Array | Int16Array | Int32Array | Uint8Array | Uint16Array | Uint32Array | Float32Array | Float64Array | BigInt64Array | BigUint64Array;

export class FixedColumn<T extends TypedArray> {
  values: T;

  constructor(private readonly make: (n: number) => T, capacity = 1024) {
    this.values = make(capacity);
  }

  ensure(index: number): T {
    if (index >= this.values.length) {
      const next = this.make(Math.max(this.values.length * 2, index + 1));
      (next as unknown as { set(a: T): void }).set(this.values);
      this.values = next;
    }
    return this.values;
  }

  take(length: number): T {
    const out = this.values.slice(0, length) as T;
    this.values = this.make(Math.max(1024, Math.min(this.values.length, 1 << 20)));
    return out;
  }
}

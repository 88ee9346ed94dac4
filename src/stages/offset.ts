/**
 * A replication offset: the key of the last row loaded. Numbers stay exact as bigint when they are
 * integers, strings compare as the database orders them. Serialized as JSON text when it crosses a
 * thread or reaches a file: bigint becomes {"$bigint": "..."}.
 */
export type Offset = number | bigint | string;

export function offsetToJSON(offset: Offset | null): unknown {
  return typeof offset === 'bigint' ? { $bigint: offset.toString() } : offset;
}

export function offsetFromJSON(value: unknown): Offset | null {
  if (value === null || value === undefined) return null;
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'object' && typeof (value as { $bigint?: unknown }).$bigint === 'string') {
    return BigInt((value as { $bigint: string }).$bigint);
  }
  throw new TypeError(`not an offset: ${JSON.stringify(value)}`);
}

/** Compares two offsets of the same key column; numbers and bigints compare numerically. */
export function compareOffsets(a: Offset, b: Offset): number {
  if (typeof a === 'string' || typeof b === 'string') {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** A printable offset, for logs and the metrics server. */
export function formatOffset(offset: Offset | null): string {
  return offset === null ? '' : String(offset);
}

/**
 * A replication offset: the key of the last row loaded. Numbers stay exact as bigint when they are
 * integers, strings compare as the database orders them. A source whose order needs more than one
 * value (a non-unique key and a tie-breaker) or whose key type JSON cannot tell apart (a date, an
 * ObjectId) gives a composite offset: typed parts compared in order. Serialized as JSON text when
 * it crosses a thread or reaches a file: bigint becomes {"$bigint": "..."}, a composite
 * {"$parts": [{"kind": ..., "value": ...}, ...]}.
 */
export type Offset = OffsetValue | CompositeOffset;

/** A single offset value. */
export type OffsetValue = number | bigint | string;

/** One part of a composite offset: `kind` names the value's type as its source knows it. */
export interface OffsetPart {
  readonly kind: string;
  readonly value: OffsetValue;
}

export interface CompositeOffset {
  readonly parts: readonly OffsetPart[];
}

export function isCompositeOffset(offset: Offset | null | undefined): offset is CompositeOffset {
  return typeof offset === 'object' && offset !== null && Array.isArray((offset as CompositeOffset).parts);
}

function valueToJSON(value: OffsetValue): unknown {
  return typeof value === 'bigint' ? { $bigint: value.toString() } : value;
}

export function offsetToJSON(offset: Offset | null): unknown {
  if (isCompositeOffset(offset)) return { $parts: offset.parts.map((part) => ({ kind: part.kind, value: valueToJSON(part.value) })) };
  return offset === null ? null : valueToJSON(offset);
}

function valueFromJSON(value: unknown): OffsetValue {
  if (typeof value === 'number' || typeof value === 'string') return value;
  if (typeof value === 'object' && value !== null && typeof (value as { $bigint?: unknown }).$bigint === 'string') {
    return BigInt((value as { $bigint: string }).$bigint);
  }
  throw new TypeError(`not an offset: ${JSON.stringify(value)}`);
}

export function offsetFromJSON(value: unknown): Offset | null {
  if (value === null || value === undefined) return null;
  const parts = typeof value === 'object' ? (value as { $parts?: unknown }).$parts : undefined;
  if (parts === undefined) return valueFromJSON(value);
  if (!Array.isArray(parts)) throw new TypeError(`not an offset: ${JSON.stringify(value)}`);
  return {
    parts: parts.map((part: unknown) => {
      const { kind, value: partValue } = (part ?? {}) as { kind?: unknown; value?: unknown };
      if (typeof kind !== 'string') throw new TypeError(`not an offset part: ${JSON.stringify(part)}`);
      return { kind, value: valueFromJSON(partValue) };
    }),
  };
}

function compareValues(a: OffsetValue, b: OffsetValue): number {
  if (typeof a === 'string' || typeof b === 'string') {
    const x = String(a);
    const y = String(b);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * Compares two offsets of the same key; numbers and bigints compare numerically, composite
 * offsets part by part (parts of different kinds by kind name, so the order stays total).
 */
export function compareOffsets(a: Offset, b: Offset): number {
  if (isCompositeOffset(a) || isCompositeOffset(b)) {
    const x = isCompositeOffset(a) ? a.parts : [{ kind: '', value: a }];
    const y = isCompositeOffset(b) ? b.parts : [{ kind: '', value: b }];
    for (let i = 0; i < Math.min(x.length, y.length); i++) {
      const order = x[i].kind === y[i].kind ? compareValues(x[i].value, y[i].value) : x[i].kind < y[i].kind ? -1 : 1;
      if (order !== 0) return order;
    }
    return x.length - y.length;
  }
  return compareValues(a, b);
}

/** A printable offset, for logs and the metrics server. */
export function formatOffset(offset: Offset | null): string {
  if (offset === null) return '';
  if (isCompositeOffset(offset)) return `(${offset.parts.map((part) => `${part.kind} ${String(part.value)}`).join(', ')})`;
  return String(offset);
}

import { BSON, Binary, Decimal128, ObjectId, type Document } from 'bson';
import { Query } from 'mingo';

/**
 * Filters and sort orders over stored BSON, for the MongoDB test server. Filters run in mingo (a
 * real MongoDB query engine in JS) over the documents decoded to plain JS values; mingo knows no
 * ObjectId nor 64-bit integer, so both are mapped to values that order the same: an ObjectId to a
 * tagged hex string, an int64 to a number (exact up to 2^53, which every test filter stays within;
 * the filter's own bytes are checked where exactness matters).
 */
function forMingo(value: unknown): unknown {
  if (typeof value === 'bigint') return Number(value);
  if (value instanceof ObjectId) return `\u0001oid:${value.toHexString()}`;
  if (value instanceof Decimal128) return Number(value.toString());
  if (value instanceof Date || value instanceof Binary || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map(forMingo);
  const out: Record<string, unknown> = {};
  for (const [key, inner] of Object.entries(value as Record<string, unknown>)) out[key] = forMingo(inner);
  return out;
}

export function decode(doc: Buffer): Document {
  return BSON.deserialize(doc, { useBigInt64: true, promoteValues: true });
}

export function matcher(filter: Document | undefined): (doc: Document) => boolean {
  if (!filter || Object.keys(filter).length === 0) return () => true;
  const query = new Query(forMingo(filter) as Record<string, unknown>);
  return (doc) => query.test(forMingo(doc) as Record<string, unknown>);
}

/** MongoDB's order of types when values of different types are compared. */
function typeRank(value: unknown): number {
  if (value === null || value === undefined) return 1;
  if (typeof value === 'number' || typeof value === 'bigint' || value instanceof Decimal128) return 2;
  if (typeof value === 'string') return 3;
  if (Array.isArray(value)) return 5;
  if (value instanceof Binary) return 6;
  if (value instanceof ObjectId) return 7;
  if (typeof value === 'boolean') return 8;
  if (value instanceof Date) return 9;
  return 4;
}

export function compareValues(a: unknown, b: unknown): number {
  const ra = typeRank(a);
  const rb = typeRank(b);
  if (ra !== rb) return ra - rb;
  if (ra === 2) {
    const x = a instanceof Decimal128 ? Number(a.toString()) : (a as number | bigint);
    const y = b instanceof Decimal128 ? Number(b.toString()) : (b as number | bigint);
    return x < y ? -1 : x > y ? 1 : 0;
  }
  if (ra === 3) return Buffer.compare(Buffer.from(a as string), Buffer.from(b as string));
  if (ra === 7) return Buffer.compare((a as ObjectId).id, (b as ObjectId).id);
  if (ra === 9) return (a as Date).getTime() - (b as Date).getTime();
  if (ra === 8) return Number(a) - Number(b);
  return 0;
}

function pathValue(doc: Document, path: readonly string[]): unknown {
  let value: unknown = doc;
  for (const part of path) value = value === null || typeof value !== 'object' ? undefined : (value as Document)[part];
  return value;
}

export function sorter(sort: Document | undefined): ((a: Document, b: Document) => number) | null {
  if (!sort || Object.keys(sort).length === 0) return null;
  const keys = Object.entries(sort).map(([path, direction]) => [path.split('.'), Number(direction) < 0 ? -1 : 1] as const);
  return (a, b) => {
    for (const [path, direction] of keys) {
      const order = compareValues(pathValue(a, path), pathValue(b, path));
      if (order !== 0) return order * direction;
    }
    return 0;
  };
}

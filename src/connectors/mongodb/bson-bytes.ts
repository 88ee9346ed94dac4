/** BSON element type bytes (bsonspec.org). */
export const BSON = {
  DOUBLE: 0x01,
  STRING: 0x02,
  DOCUMENT: 0x03,
  ARRAY: 0x04,
  BINARY: 0x05,
  UNDEFINED: 0x06,
  OBJECT_ID: 0x07,
  BOOLEAN: 0x08,
  DATE: 0x09,
  NULL: 0x0a,
  REGEX: 0x0b,
  DB_POINTER: 0x0c,
  CODE: 0x0d,
  SYMBOL: 0x0e,
  CODE_W_SCOPE: 0x0f,
  INT32: 0x10,
  TIMESTAMP: 0x11,
  INT64: 0x12,
  DECIMAL128: 0x13,
  MIN_KEY: 0xff,
  MAX_KEY: 0x7f,
} as const;

export const TYPE_NAMES: Record<number, string> = {
  0x01: 'double', 0x02: 'string', 0x03: 'object', 0x04: 'array', 0x05: 'binData', 0x06: 'undefined',
  0x07: 'objectId', 0x08: 'bool', 0x09: 'date', 0x0a: 'null', 0x0b: 'regex', 0x0c: 'dbPointer',
  0x0d: 'javascript', 0x0e: 'symbol', 0x0f: 'javascriptWithScope', 0x10: 'int', 0x11: 'timestamp',
  0x12: 'long', 0x13: 'decimal', 0xff: 'minKey', 0x7f: 'maxKey',
};

export class BsonFormatError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'BsonFormatError';
  }
}

/** Position just after the NUL that ends the C string starting at `at`. */
export function cstringEnd(buf: Uint8Array, at: number, end: number): number {
  let i = at;
  while (i < end && buf[i] !== 0) i++;
  if (i >= end) throw new BsonFormatError('a field name runs past the end of its document');
  return i + 1;
}

export function int32At(buf: Uint8Array, at: number): number {
  return buf[at] | (buf[at + 1] << 8) | (buf[at + 2] << 16) | (buf[at + 3] << 24);
}

/** Position just after the value of type `type` that starts at `at`. */
export function valueEnd(buf: Uint8Array, type: number, at: number, end: number): number {
  let next: number;
  switch (type) {
    case BSON.DOUBLE: case BSON.DATE: case BSON.INT64: case BSON.TIMESTAMP: next = at + 8; break;
    case BSON.STRING: case BSON.CODE: case BSON.SYMBOL: next = at + 4 + int32At(buf, at); break;
    case BSON.DOCUMENT: case BSON.ARRAY: case BSON.CODE_W_SCOPE: next = at + int32At(buf, at); break;
    case BSON.BINARY: next = at + 5 + int32At(buf, at); break;
    case BSON.UNDEFINED: case BSON.NULL: case BSON.MIN_KEY: case BSON.MAX_KEY: next = at; break;
    case BSON.OBJECT_ID: next = at + 12; break;
    case BSON.BOOLEAN: next = at + 1; break;
    case BSON.INT32: next = at + 4; break;
    case BSON.DECIMAL128: next = at + 16; break;
    case BSON.REGEX: next = cstringEnd(buf, cstringEnd(buf, at, end), end); break;
    case BSON.DB_POINTER: next = at + 4 + int32At(buf, at) + 12; break;
    default: throw new BsonFormatError(`unknown BSON element type 0x${type.toString(16)}`);
  }
  if (next > end || next < at) throw new BsonFormatError('a value runs past the end of its document');
  return next;
}

/** Milliseconds since the epoch of a BSON date (exact: dates within ±285,000 years fit a double). */
export function dateMillis(buf: Uint8Array, at: number): number {
  return int32At(buf, at + 4) * 4294967296 + (int32At(buf, at) >>> 0);
}

export function int64At(buf: Uint8Array, at: number): bigint {
  return (BigInt(int32At(buf, at + 4)) << 32n) | BigInt(int32At(buf, at) >>> 0);
}

const HEX = Array.from({ length: 256 }, (_, i) => i.toString(16).padStart(2, '0'));

export function objectIdHex(buf: Uint8Array, at: number): string {
  let out = '';
  for (let i = at; i < at + 12; i++) out += HEX[buf[i]];
  return out;
}

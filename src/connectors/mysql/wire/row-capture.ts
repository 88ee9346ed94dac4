import type { Query } from 'mysql2';

/** Receives each row packet of a text-protocol result: its bytes are `buf[start, end)`. */
export interface RowSink {
  row(buf: Buffer, start: number, end: number): void;
}

interface RowPacket {
  readonly buffer: Buffer;
  readonly offset: number;
  readonly end: number;
}

/**
 * True when a mysql2 query has the internals the fast path replaces: an own `_rowParser` and a
 * `row()` that calls `this._rowParser.next(packet...)` once per row (lib/commands/query.js, 3.x).
 * Checked on every query (a property and a cached function text), before any row arrives.
 */
export function hasRowParserInternals(query: Query): boolean {
  if (!Object.prototype.hasOwnProperty.call(query, '_rowParser')) return false;
  const row = (Object.getPrototypeOf(query) as { row?: unknown } | null)?.row;
  if (typeof row !== 'function') return false;
  let known = rowShapes.get(row);
  if (known === undefined) {
    known = /this\._rowParser\.next\(\s*packet\b/.test(Function.prototype.toString.call(row));
    rowShapes.set(row, known);
  }
  return known;
}

const rowShapes = new WeakMap<object, boolean>();

/**
 * Hands the rows of a mysql2 query to `sink` as the raw packets the server sent, in place of
 * mysql2's row parser, which makes a Buffer or string per value (most of the client's CPU).
 * Only after hasRowParserInternals(query) said yes: the property is replaced on this one query
 * object; the MySQL tests compare every type row by row.
 */
export function captureRows(query: Query, sink: RowSink): void {
  const parser = {
    next(packet: RowPacket): null {
      sink.row(packet.buffer, packet.offset, packet.end);
      return null;
    },
  };
  Object.defineProperty(query, '_rowParser', { get: () => parser, set: () => undefined, configurable: true });
}

/**
 * The documented path, for a mysql2 whose internals changed: the query runs with
 * `typeCast: false` and `rowsAsArray: true`, so each row arrives as an array of Buffers (or
 * nulls), which is written back into the text protocol's row form for the same sink. Slower
 * (a Buffer per value), never different.
 */
export function captureRowsDocumented(query: Query, sink: RowSink): void {
  query.on('result', (row) => {
    const packet = encodeTextRow(row as unknown as readonly (Buffer | null)[]);
    sink.row(packet, 0, packet.length);
  });
}

/** A text-protocol row: each value length-encoded, NULL as 0xFB. */
export function encodeTextRow(values: readonly (Buffer | null)[]): Buffer {
  let size = 0;
  for (const value of values) size += value === null ? 1 : lengthSize(value.length) + value.length;
  const out = Buffer.allocUnsafe(size);
  let at = 0;
  for (const value of values) {
    if (value === null) {
      out[at++] = 0xfb;
      continue;
    }
    at = writeLength(out, at, value.length);
    at += value.copy(out, at);
  }
  return out;
}

function lengthSize(n: number): number {
  return n < 0xfb ? 1 : n < 0x10000 ? 3 : n < 0x1000000 ? 4 : 9;
}

function writeLength(out: Buffer, at: number, n: number): number {
  if (n < 0xfb) {
    out[at] = n;
    return at + 1;
  }
  if (n < 0x10000) {
    out[at] = 0xfc;
    out.writeUInt16LE(n, at + 1);
    return at + 3;
  }
  if (n < 0x1000000) {
    out[at] = 0xfd;
    out.writeUIntLE(n, at + 1, 3);
    return at + 4;
  }
  out[at] = 0xfe;
  out.writeBigUInt64LE(BigInt(n), at + 1);
  return at + 9;
}

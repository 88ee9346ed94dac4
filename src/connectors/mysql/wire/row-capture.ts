import type { Query } from 'mysql2';
import { FastlaneError } from '../../../errors.js';

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
 * Hands the rows of a mysql2 query to `sink` as the raw packets the server sent, in place of
 * mysql2's row parser, which makes a Buffer or string per value (most of the client's CPU).
 *
 * mysql2 keeps the parser of a result in `query._rowParser` and calls its `next(packet)` once per
 * row (lib/commands/query.js, 3.x). The property is replaced on this one query object; the
 * version is pinned in package.json, and the MySQL tests compare every type row by row.
 */
export function captureRows(query: Query, sink: RowSink): void {
  if (!Object.prototype.hasOwnProperty.call(query, '_rowParser')) {
    throw new FastlaneError('FL_INTERNAL', 'this mysql2 version has no per-query row parser to replace: install the version package.json pins');
  }
  const parser = {
    next(packet: RowPacket): null {
      sink.row(packet.buffer, packet.offset, packet.end);
      return null;
    },
  };
  Object.defineProperty(query, '_rowParser', { get: () => parser, set: () => undefined, configurable: true });
}

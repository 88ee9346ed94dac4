import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { joinIpcStreams } from '../arrow/ipc-stream.js';

/**
 * A batch on its way between threads: Arrow IPC stream bytes in an ArrayBuffer of their own,
 * so the buffer can be moved (transferList) instead of copied.
 */
export function tableToBuffer(table: Table): ArrayBuffer {
  const bytes = tableToIPC(table, 'stream');
  const { buffer, byteOffset, byteLength } = bytes;
  // tableToIPC may return a view into a larger buffer: moving that would move the rest too.
  if (byteOffset === 0 && byteLength === buffer.byteLength && buffer instanceof ArrayBuffer) return buffer;
  return bytes.slice().buffer as ArrayBuffer;
}

/** The IPC streams each table read from buffers came from, for encoders that take IPC as it is. */
const sourceStreams = new WeakMap<Table, Uint8Array[]>();

export function tableFromBuffers(buffers: readonly ArrayBuffer[]): Table {
  const streams = buffers.map((buffer) => new Uint8Array(buffer));
  const tables = streams.map((stream) => tableFromIPC(stream));
  const table = tables.length === 1 ? tables[0] : new Table(tables.flatMap((t) => t.batches));
  sourceStreams.set(table, streams);
  return table;
}

/**
 * The IPC stream bytes `table` was read from, when it is exactly a table tableFromBuffers made
 * (a target that added or changed columns holds another table): one stream, or the streams
 * joined, valid until the next call. Null when there are none: serialize the table instead.
 */
export function ipcStreamOf(table: Table): Uint8Array | null {
  const streams = sourceStreams.get(table);
  return streams ? joinIpcStreams(streams) : null;
}

/** A worker's answer: the batch's bytes are moved back to the main thread, not copied. */
export interface BatchResult {
  readonly buffer: ArrayBuffer;
  readonly rows: number;
}

export function movableResult(result: BatchResult): BatchResult {
  return move({
    get [transferableSymbol]() {
      return [result.buffer];
    },
    get [valueSymbol]() {
      return result;
    },
  } as never) as unknown as BatchResult;
}

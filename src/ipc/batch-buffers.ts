import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import { move, transferableSymbol, valueSymbol } from 'piscina';
import { joinIpcStreams } from '../arrow/ipc-stream.js';
import { ipcLayout, writeIpc } from '../arrow/ipc-writer.js';

/**
 * How batches travel between threads as Arrow IPC bytes: shared by the pipeline (main thread),
 * the worker entry points and the encoders that take IPC as it is (Parquet), so it sits below
 * all of them and imports none of them.
 */

/** Where serializeBatch takes its buffer from: the pipeline's pool of recycled buffers. */
export interface BufferSource {
  take(byteLength: number): ArrayBuffer;
}

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

/** A batch's IPC bytes: the first `byteLength` bytes of `buffer`, which may be a longer, recycled one. */
export interface BatchBytes {
  readonly buffer: ArrayBuffer;
  readonly byteLength: number;
}

/** Serializes a batch into a buffer from `pool` (written in place, no new memory when one fits). */
export function serializeBatch(table: Table, pool: BufferSource): BatchBytes {
  const layout = ipcLayout(table);
  if (!layout) {
    const buffer = tableToBuffer(table);
    return { buffer, byteLength: buffer.byteLength };
  }
  const buffer = pool.take(layout.byteLength);
  writeIpc(layout, new Uint8Array(buffer, 0, layout.byteLength));
  return { buffer, byteLength: layout.byteLength };
}

/** The IPC streams each table read from buffers came from, for encoders that take IPC as it is. */
const sourceStreams = new WeakMap<Table, Uint8Array[]>();

/** The table in `buffers`, each holding one IPC stream in its first `byteLengths[i]` bytes (default: all of it). */
export function tableFromBuffers(buffers: readonly ArrayBuffer[], byteLengths?: readonly number[]): Table {
  const streams = buffers.map((buffer, i) => new Uint8Array(buffer, 0, byteLengths?.[i] ?? buffer.byteLength));
  const tables = streams.map((stream) => tableFromIPC(stream));
  const table = tables.length === 1 ? tables[0] : new Table(tables.flatMap((t) => t.batches));
  sourceStreams.set(table, streams);
  return table;
}

/**
 * The IPC stream bytes `table` was read from, when it is exactly a table tableFromBuffers made
 * (a target that added or changed columns holds another table): one stream, or the streams
 * joined into memory from `into`. Null when there are none: serialize the table instead.
 */
export function ipcStreamOf(table: Table, into?: (size: number) => Uint8Array): Uint8Array | null {
  const streams = sourceStreams.get(table);
  return streams ? joinIpcStreams(streams, into) : null;
}

/** A worker's answer after a transform: the batch's bytes, moved back to the main thread. */
export interface BatchResult {
  readonly buffer: ArrayBuffer;
  /** Bytes of the batch at the start of `buffer`; all of it when absent. */
  readonly byteLength?: number;
  readonly rows: number;
}

/** A worker's answer after a load: the batches' buffers come back to be written into again. */
export interface LoadResult {
  readonly rows: number;
  readonly buffers?: ArrayBuffer[];
}

/** `value` as a task result whose `transfer` buffers are moved to the main thread, not copied. */
export function movable<T extends object>(value: T, transfer: ArrayBuffer[]): T {
  return move({
    get [transferableSymbol]() {
      return transfer;
    },
    get [valueSymbol]() {
      return value;
    },
  } as never) as unknown as T;
}

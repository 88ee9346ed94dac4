import { tableFromIPC, tableToIPC, Table } from 'apache-arrow';
import { move, transferableSymbol, valueSymbol } from 'piscina';

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

export function tableFromBuffers(buffers: readonly ArrayBuffer[]): Table {
  const tables = buffers.map((buffer) => tableFromIPC(new Uint8Array(buffer)));
  if (tables.length === 1) return tables[0];
  return new Table(tables.flatMap((t) => t.batches));
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

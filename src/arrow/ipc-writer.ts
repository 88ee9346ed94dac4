import { Message, type Table } from 'apache-arrow';
import { RecordBatchHeader, VectorAssembler } from './internals.js';

/**
 * An Arrow IPC stream written into memory the caller provides (a recycled buffer), where
 * tableToIPC allocates a new one per call: on these machines touching fresh memory costs more
 * than the copy itself. The bytes are the same as tableToIPC(table, 'stream') writes.
 */
export interface IpcLayout {
  /** The stream's pieces in order; a number is that many zero bytes of padding. */
  readonly pieces: readonly (Uint8Array | number)[];
  readonly byteLength: number;
}

/** The end-of-stream marker: continuation, then a zero metadata length. */
export const END_OF_STREAM = new Uint8Array(Int32Array.of(-1, 0).buffer);

function bytesOf(view: ArrayBufferView): Uint8Array {
  return new Uint8Array(view.buffer, view.byteOffset, view.byteLength);
}

/** The pieces of the stream for `table`; null for tables with dictionaries (tableToIPC writes those). */
export function ipcLayout(table: Table): IpcLayout | null {
  if (table.schema.dictionaries.size > 0) return null;
  const pieces: (Uint8Array | number)[] = [];
  let byteLength = 0;
  const add = (piece: Uint8Array | number) => {
    if (piece === 0) return;
    pieces.push(piece);
    byteLength += typeof piece === 'number' ? piece : piece.byteLength;
  };
  // Continuation marker, metadata length, flatbuffer, padding to 8 bytes (as RecordBatchWriter).
  const message = (encoded: Uint8Array) => {
    const aligned = (encoded.byteLength + 8 + 7) & ~7;
    add(new Uint8Array(Int32Array.of(-1, aligned - 8).buffer));
    add(encoded);
    add(aligned - 8 - encoded.byteLength);
  };
  message(Message.encode(Message.from(table.schema)));
  for (const batch of table.batches) {
    const { byteLength: bodyLength, nodes, bufferRegions, buffers, variadicBufferCounts } = VectorAssembler.assemble(batch);
    const header = new RecordBatchHeader(batch.numRows, nodes, bufferRegions, null, variadicBufferCounts, batch.metadata);
    message(Message.encode(Message.from(header, bodyLength)));
    for (const buffer of buffers) {
      if (buffer.byteLength === 0) continue;
      add(bytesOf(buffer));
      add(((buffer.byteLength + 7) & ~7) - buffer.byteLength);
    }
  }
  add(END_OF_STREAM);
  return { pieces, byteLength };
}

/** Writes the stream into `target` (at least layout.byteLength bytes long) from its start. */
export function writeIpc(layout: IpcLayout, target: Uint8Array): void {
  let at = 0;
  for (const piece of layout.pieces) {
    if (typeof piece === 'number') {
      target.fill(0, at, at + piece);
      at += piece;
    } else {
      target.set(piece, at);
      at += piece.byteLength;
    }
  }
}

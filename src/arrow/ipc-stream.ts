/**
 * Joins Arrow IPC streams of the same schema into one stream at the byte level: the first
 * stream's schema message, every stream's record batch messages, one end-of-stream marker.
 * Workers use it to hand the batches they received to an encoder that reads IPC (parquet-wasm)
 * without decoding and re-serializing them.
 */
import { END_OF_STREAM } from './ipc-writer.js';

/** The byte length of a stream's leading schema message, or -1 when it does not start with one. */
function schemaLength(stream: Uint8Array): number {
  if (stream.byteLength < 16) return -1;
  const view = new DataView(stream.buffer, stream.byteOffset, stream.byteLength);
  if (view.getInt32(0, true) !== -1) return -1;
  return 8 + view.getInt32(4, true);
}

function endsWithMarker(stream: Uint8Array): boolean {
  const tail = stream.subarray(stream.byteLength - 8);
  return tail.every((byte, i) => byte === END_OF_STREAM[i]);
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0;
}

/**
 * One IPC stream holding the record batches of `streams`, or null when they do not share one
 * schema message (dictionaries, other writers): the caller then re-serializes. A single stream
 * is returned as it is; several are joined into memory from `into` (a caller may reuse its own).
 */
export function joinIpcStreams(streams: readonly Uint8Array[], into: (size: number) => Uint8Array = (size) => new Uint8Array(size)): Uint8Array | null {
  if (streams.length === 1) return streams[0];
  const schemaBytes = schemaLength(streams[0]);
  if (schemaBytes < 0) return null;
  const schema = streams[0].subarray(0, schemaBytes);
  let total = schemaBytes + END_OF_STREAM.byteLength;
  for (const stream of streams) {
    if (schemaLength(stream) !== schemaBytes || !sameBytes(stream.subarray(0, schemaBytes), schema) || !endsWithMarker(stream)) return null;
    total += stream.byteLength - schemaBytes - END_OF_STREAM.byteLength;
  }
  const joined = into(total);
  joined.set(schema, 0);
  let at = schemaBytes;
  for (const stream of streams) {
    const batches = stream.subarray(schemaBytes, stream.byteLength - END_OF_STREAM.byteLength);
    joined.set(batches, at);
    at += batches.byteLength;
  }
  joined.set(END_OF_STREAM, at);
  return joined;
}

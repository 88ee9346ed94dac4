import { Readable } from 'node:stream';
import type { Data, Table } from 'apache-arrow';
import { ByteSink } from './byte-sink.js';
import { cellWriter, type CellWriter } from './cell-writers.js';

/** Rows per chunk handed to the socket: about 1 MB of text for typical rows. */
const ROWS_PER_CHUNK = 4096;
const NULL_MARK = [0x5c, 0x4e]; // \N
const TAB = 0x09;
const NEWLINE = 0x0a;

/**
 * The table as LOAD DATA text (tab-separated, `\` escapes, \N for NULL), produced chunk by chunk
 * as the socket drains, so the whole file never sits in memory. Emits Buffers only: mysql2 fails
 * the whole process on string chunks.
 */
export function infileStream(table: Table): Readable {
  return Readable.from(infileChunks(table), { objectMode: false });
}

function* infileChunks(table: Table): Generator<Buffer> {
  const sink = new ByteSink();
  const names = table.schema.fields.map((f) => f.name);
  for (const batch of table.batches) {
    const columns = batch.data.children;
    const writers: CellWriter[] = columns.map((data, c) => cellWriter(data, names[c]));
    const valid = columns.map(validity);
    for (let row = 0; row < batch.numRows; row++) {
      for (let c = 0; c < columns.length; c++) {
        if (c > 0) sink.byte(TAB);
        if (valid[c](row)) writers[c](sink, row);
        else {
          sink.byte(NULL_MARK[0]);
          sink.byte(NULL_MARK[1]);
        }
      }
      sink.byte(NEWLINE);
      if ((row + 1) % ROWS_PER_CHUNK === 0) yield sink.take();
    }
  }
  if (sink.length > 0) yield sink.take();
}

/** Whether row `i` holds a value, read from the bitmap directly (Data#getValid costs more). */
function validity(data: Data): (i: number) => boolean {
  const bitmap = data.nullBitmap;
  if (data.nullCount === 0 || !bitmap || bitmap.length === 0) return () => true;
  return (i) => ((bitmap[(data.offset + i) >> 3] >> ((data.offset + i) & 7)) & 1) === 1;
}

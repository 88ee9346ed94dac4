import { Readable } from 'node:stream';
import type { Table } from 'apache-arrow';
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
    for (let row = 0; row < batch.numRows; row++) {
      for (let c = 0; c < columns.length; c++) {
        if (c > 0) sink.byte(TAB);
        if (columns[c].getValid(row)) writers[c](sink, row);
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

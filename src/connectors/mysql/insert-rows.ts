import { Type, type Table } from 'apache-arrow';
import { ByteSink } from './byte-sink.js';
import { cellWriter, type CellWriter } from './cell-writers.js';

/** About how many bytes of values one multi-row INSERT carries: well under max_allowed_packet. */
const BYTES_PER_STATEMENT = 4 << 20;
const MAX_ROWS_PER_STATEMENT = 5000;

/** A sink that keeps bytes as they are: INSERT values are bound parameters, escaped by the driver. */
class RawSink extends ByteSink {
  override escaped(source: Uint8Array, start: number, end: number): void {
    const bytes = source.subarray(start, end);
    this.reserve(bytes.length);
    this.buffer.set(bytes, this.length);
    this.length += bytes.length;
  }
}

export type CellValue = string | Buffer | null;

/**
 * The table's rows as parameter values for multi-row INSERT statements, in groups that keep each
 * statement small: text as strings, binary as Buffers (sent as hex literals), NULL as null.
 * Numbers, decimals and dates travel as their exact text, which the server converts.
 */
export function* insertGroups(table: Table): Generator<CellValue[][]> {
  const sink = new RawSink();
  let group: CellValue[][] = [];
  let bytes = 0;
  for (const batch of table.batches) {
    const columns = batch.data.children;
    const writers: CellWriter[] = columns.map((data, c) => cellWriter(data, table.schema.fields[c].name));
    const binary = columns.map((data) => data.type.typeId === Type.Binary || data.type.typeId === Type.LargeBinary);
    for (let row = 0; row < batch.numRows; row++) {
      const values: CellValue[] = [];
      for (let c = 0; c < columns.length; c++) {
        if (!columns[c].getValid(row)) {
          values.push(null);
          continue;
        }
        sink.length = 0;
        writers[c](sink, row);
        bytes += sink.length;
        values.push(binary[c] ? Buffer.from(sink.buffer.subarray(0, sink.length)) : sink.buffer.toString('utf8', 0, sink.length));
      }
      group.push(values);
      if (bytes >= BYTES_PER_STATEMENT || group.length >= MAX_ROWS_PER_STATEMENT) {
        yield group;
        group = [];
        bytes = 0;
      }
    }
  }
  if (group.length > 0) yield group;
}

import type { Table } from 'apache-arrow';
import { readParquetFile } from '../../formats/parquet.js';
import { FastlaneError } from '../../errors.js';
import type { Offset } from '../../stages/offset.js';
import type { SourceBatch } from '../../stages/source.js';
import type { FileSourceConfig } from './config.js';
import { KeyOrder } from './key-order.js';

/** Reads a Parquet file row group by row group and cuts it into batches of batch_size rows. */
export async function* parquetBatches(config: FileSourceConfig, startAfter: Offset | null): AsyncGenerator<SourceBatch> {
  const order = config.key ? new KeyOrder(config.path, 'arrow', startAfter) : null;
  let row = 0;
  for await (const group of readParquetFile(config.path)) {
    const keys = config.key ? keyColumn(group, config) : null;
    let start = 0;
    if (keys && order) {
      for (let i = 0; i < group.numRows; i++) order.check(keys(i), row + i + 1);
      while (start < group.numRows && order.alreadyLoaded(keys(start))) start++;
    }
    for (let from = start; from < group.numRows; from += config.batch_size) {
      const to = Math.min(from + config.batch_size, group.numRows);
      const table = group.slice(from, to);
      yield keys ? { table, lastKey: keys(to - 1) } : { table };
    }
    row += group.numRows;
  }
}

function keyColumn(table: Table, config: FileSourceConfig): (i: number) => Offset {
  const column = table.getChild(config.key as string);
  if (!column) {
    const names = table.schema.fields.map((f) => f.name).join(', ');
    throw new FastlaneError('FL_CONFIG_INVALID', `source.file.key '${config.key}' is not a column of ${config.path}; its columns: ${names}`);
  }
  return (i) => {
    const value = column.get(i) as unknown;
    if (typeof value === 'bigint' || typeof value === 'number' || typeof value === 'string') return value;
    throw new FastlaneError('FL_SOURCE_DATA', `${config.path} row ${i + 1}: key '${config.key}' must be a number or text, not ${value === null ? 'NULL' : typeof value}`);
  };
}

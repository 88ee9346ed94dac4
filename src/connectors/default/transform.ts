import { Int64, makeData, makeVector, Table, Utf8 } from 'apache-arrow';
import type { TransformConnector } from '../../registry.js';
import type { Transform } from '../../stages/transform.js';

export interface DefaultTransformConfig {
  readonly add_op_fields: boolean;
  readonly concurrency: number;
}

/**
 * The seed's default transform: stamps each row with `_op_type` = 'i' (an insert) and
 * `_op_timestamp`, the transform time in ms since the epoch, unless add_op_fields is false.
 */
class DefaultTransform implements Transform {
  constructor(private readonly config: DefaultTransformConfig) {}

  transform(batch: Table): Table {
    if (!this.config.add_op_fields) return batch;
    const rows = batch.numRows;
    const stamps = new Table({
      _op_type: makeVector(repeatedText('i', rows)),
      _op_timestamp: makeVector(makeData({ type: new Int64(), length: rows, data: new BigInt64Array(rows).fill(BigInt(Date.now())) })),
    });
    return batch.assign(stamps);
  }
}

function repeatedText(text: string, rows: number) {
  const bytes = Buffer.from(text, 'utf8');
  const data = new Uint8Array(bytes.length * rows);
  const valueOffsets = new Int32Array(rows + 1);
  for (let i = 0; i < rows; i++) {
    data.set(bytes, i * bytes.length);
    valueOffsets[i + 1] = (i + 1) * bytes.length;
  }
  return makeData({ type: new Utf8(), length: rows, data, valueOffsets });
}

const defaultTransform: TransformConnector<DefaultTransformConfig> = {
  type: 'default',
  schema: 'transform/default.schema.json',
  module: import.meta.url,
  create: (config) => new DefaultTransform(config),
  passesThrough: (config) => !config.add_op_fields,
  describe: (config) => (config.add_op_fields ? 'adds _op_type and _op_timestamp' : 'passes batches through'),
};

export default defaultTransform;

import { describe, expect, it } from '@jest/globals';
import { Int64, makeData, makeVector, Table } from 'apache-arrow';
import { createStagePool } from '../../src/pipeline/pools.js';
import { tableFromBuffers, tableToBuffer, type BatchResult } from '../../src/ipc/batch-buffers.js';
import defaultTransform from '../../src/connectors/default/transform.js';

function transformPool(addOpFields: boolean) {
  return createStagePool('transform', {
    module: defaultTransform.module,
    config: { add_op_fields: addOpFields, concurrency: 1 },
    pipelineId: 'test', runId: '1', replicationMode: 'FULL_TABLE', logLevel: 'error', logChannel: 'test-transfer',
  }, 1);
}

describe('batches cross threads by transfer', () => {
  it('moves an unchanged batch back as the same bytes', async () => {
    const pool = transformPool(false);
    try {
      const buffer = tableToBuffer(new Table({ id: makeVector(makeData({ type: new Int64(), length: 2, data: BigInt64Array.from([7n, 8n]) })) }));
      const size = buffer.byteLength;
      const result = (await pool.run({ buffer, sequence: 1 }, { name: 'transform', transferList: [buffer] })) as BatchResult;
      expect(buffer.byteLength).toBe(0);
      expect(result.buffer.byteLength).toBe(size);
      expect([...tableFromBuffers([result.buffer]).getChild('id')!]).toEqual([7n, 8n]);
    } finally {
      await pool.destroy();
    }
  });

  it('detaches the sender buffer and moves the result back', async () => {
    const pool = transformPool(true);
    try {
      const ids = BigInt64Array.from([1n, 2n, 3n]);
      const buffer = tableToBuffer(new Table({ id: makeVector(makeData({ type: new Int64(), length: 3, data: ids })) }));
      expect(buffer.byteLength).toBeGreaterThan(0);
      const result = (await pool.run({ buffer, sequence: 1 }, { name: 'transform', transferList: [buffer] })) as BatchResult;
      // Moved, not copied: the main thread's buffer is now empty.
      expect(buffer.byteLength).toBe(0);
      expect(result.buffer).toBeInstanceOf(ArrayBuffer);
      const table = tableFromBuffers([result.buffer]);
      expect(table.numRows).toBe(3);
      expect(table.schema.fields.map((f) => f.name)).toEqual(['id', '_op_type', '_op_timestamp']);
      expect([...table.getChild('id')!]).toEqual([1n, 2n, 3n]);
      expect([...table.getChild('_op_type')!]).toEqual(['i', 'i', 'i']);
    } finally {
      await pool.destroy();
    }
  });
});

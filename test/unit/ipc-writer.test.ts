import { describe, expect, it } from '@jest/globals';
import { Decimal, Int64, Table, Utf8, makeData, makeVector, tableToIPC } from 'apache-arrow';
import { ipcLayout, writeIpc } from '../../src/arrow/ipc-writer.js';
import { BufferPool } from '../../src/pipeline/buffer-pool.js';
import { serializeBatch, tableFromBuffers } from '../../src/ipc/batch-buffers.js';

function sampleTable(offset: number): Table {
  const text = new TextEncoder().encode(`a${offset}\u{1F600}bc`);
  return new Table({
    id: makeVector(makeData({ type: new Int64(), length: 3, data: BigInt64Array.from([BigInt(offset), -1n, 9223372036854775807n]) })),
    name: makeVector(makeData({ type: new Utf8(), length: 3, nullCount: 1, nullBitmap: Uint8Array.of(0b101), valueOffsets: Int32Array.from([0, 2, 2, text.length]), data: text })),
    price: makeVector(makeData({ type: new Decimal(2, 12, 128), length: 3, data: Uint32Array.from([1, 0, 0, 0, 0xffffffff, 0xffffffff, 0xffffffff, 0xffffffff, 12345, 0, 0, 0]) })),
  });
}

describe('IPC streams written into given memory', () => {
  it('writes the bytes tableToIPC writes, for one batch and for several', () => {
    for (const table of [sampleTable(1), sampleTable(1).concat(sampleTable(2), sampleTable(3))]) {
      const layout = ipcLayout(table)!;
      const target = new Uint8Array(layout.byteLength + 64).fill(0xaa);
      writeIpc(layout, target);
      expect(Buffer.from(target.subarray(0, layout.byteLength))).toEqual(Buffer.from(tableToIPC(table, 'stream')));
      expect(target[layout.byteLength]).toBe(0xaa);
    }
  });

  it('reuses a returned buffer and reads back only the batch written into it', () => {
    const pool = new BufferPool(4);
    const first = serializeBatch(sampleTable(1).concat(sampleTable(2)), pool);
    pool.give(first.buffer);
    const second = serializeBatch(sampleTable(7), pool);
    expect(second.buffer).toBe(first.buffer);
    expect(second.byteLength).toBeLessThan(second.buffer.byteLength);
    const table = tableFromBuffers([second.buffer], [second.byteLength]);
    expect(table.numRows).toBe(3);
    expect([...table.getChild('id')!]).toEqual([7n, -1n, 9223372036854775807n]);
    expect(table.getChild('name')!.toArray()).toEqual(['a7', null, '\u{1F600}bc']);
  });

  it('hands out the smallest buffer that fits and keeps at most its limit', () => {
    const pool = new BufferPool(2);
    const [small, large, extra] = [new ArrayBuffer(100), new ArrayBuffer(1000), new ArrayBuffer(500)];
    pool.give(large);
    pool.give(small);
    pool.give(extra);
    expect(pool.take(50)).toBe(small);
    expect(pool.take(600)).toBe(large);
    const fresh = pool.take(10);
    expect(fresh).not.toBe(extra);
    expect(fresh.byteLength).toBeGreaterThanOrEqual(10);
  });
});

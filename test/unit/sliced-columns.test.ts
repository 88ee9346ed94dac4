import { describe, expect, it } from '@jest/globals';
import { Bool, DateDay, Decimal, Int64, Table, TimestampMicrosecond, Utf8, makeData, makeVector } from 'apache-arrow';
import { cellWriter } from '../../src/connectors/mysql/cell-writers.js';
import { ByteSink } from '../../src/connectors/mysql/byte-sink.js';
import { encodeCsv } from '../../src/formats/text.js';

/** Five rows; the tests read rows 2..4 of it through a slice (Arrow slices values and moves the offset). */
function table(): Table {
  const text = Buffer.from('aabbccddee');
  return new Table({
    id: makeVector(makeData({ type: new Int64(), length: 5, data: BigInt64Array.from([10n, 11n, 12n, 13n, 14n]) })),
    price: makeVector(makeData({ type: new Decimal(2, 12, 128), length: 5, data: Uint32Array.from([100, 0, 0, 0, 101, 0, 0, 0, 102, 0, 0, 0, 103, 0, 0, 0, 104, 0, 0, 0]) })),
    day: makeVector(makeData({ type: new DateDay(), length: 5, data: Int32Array.from([0, 1, 2, 3, 4]) })),
    at: makeVector(makeData({ type: new TimestampMicrosecond(), length: 5, data: BigInt64Array.from([0n, 1n, 2n, 3n, 4n]) })),
    name: makeVector(makeData({ type: new Utf8(), length: 5, valueOffsets: Int32Array.from([0, 2, 4, 6, 8, 10]), data: text })),
    flag: makeVector(makeData({ type: new Bool(), length: 5, data: Uint8Array.of(0b10100) })),
  });
}

describe('columns read through a slice', () => {
  it('LOAD DATA writers write the sliced rows', () => {
    const sliced = table().slice(2, 5);
    const rows = [0, 1, 2].map((i) => sliced.batches[0].data.children.map((data, c) => {
      const sink = new ByteSink();
      cellWriter(data, sliced.schema.fields[c].name)(sink, i);
      return sink.take().toString('latin1');
    }));
    expect(rows).toEqual([
      ['12', '1.02', '1970-01-03', '1970-01-01 00:00:00.000002', 'cc', '1'],
      ['13', '1.03', '1970-01-04', '1970-01-01 00:00:00.000003', 'dd', '0'],
      ['14', '1.04', '1970-01-05', '1970-01-01 00:00:00.000004', 'ee', '1'],
    ]);
  });

  it('CSV text has the sliced rows', () => {
    const csv = encodeCsv(table().slice(3, 5), { delimiter: ',', nullValue: '' }).toString('utf8').trim().split('\n');
    expect(csv.slice(1).map((line) => line.split(',').slice(0, 3))).toEqual([['13', '1.03', '1970-01-04'], ['14', '1.04', '1970-01-05']]);
  });
});

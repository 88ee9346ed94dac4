import { describe, expect, it } from '@jest/globals';
import { DurationMicrosecond, Table, TimestampMicrosecond, makeData, makeVector } from 'apache-arrow';
import { rowsToRecords } from '../../src/connectors/firehose/records.js';
import { encodeCsv, encodeNdjson } from '../../src/formats/text.js';

/** TIME values (durations), a DATETIME (no zone) and a TIMESTAMP (UTC) as the MySQL source makes them. */
function table(): Table {
  const micros = (values: bigint[]) => BigInt64Array.from(values);
  return new Table({
    tm: makeVector(makeData({ type: new DurationMicrosecond(), length: 4, data: micros([45_296_789_012n, -500_000n, 3_020_399_999_999n, 0n]) })),
    local: makeVector(makeData({ type: new TimestampMicrosecond(null), length: 4, data: micros([1_709_251_199_999_999n, -1n, 0n, 1n]) })),
    utc: makeVector(makeData({ type: new TimestampMicrosecond('UTC'), length: 4, data: micros([1_709_251_199_999_999n, -1n, 0n, 1n]) })),
  });
}

const EXPECTED = [
  { tm: '12:34:56.789012', local: '2024-02-29T23:59:59.999999', utc: '2024-02-29T23:59:59.999999Z' },
  { tm: '-0:00:00.500000', local: '1969-12-31T23:59:59.999999', utc: '1969-12-31T23:59:59.999999Z' },
  { tm: '838:59:59.999999', local: '1970-01-01T00:00:00.000000', utc: '1970-01-01T00:00:00.000000Z' },
  { tm: '0:00:00.000000', local: '1970-01-01T00:00:00.000001', utc: '1970-01-01T00:00:00.000001Z' },
];

describe('time values in text output', () => {
  it('NDJSON writes TIME as [-]H:MM:SS.ffffff and a zone-less timestamp without Z', () => {
    const lines = encodeNdjson(table()).toString('utf8').trim().split('\n').map((line) => JSON.parse(line) as unknown);
    expect(lines).toEqual(EXPECTED);
  });

  it('CSV writes the same text', () => {
    const [header, ...rows] = encodeCsv(table(), { delimiter: ',', nullValue: '' }).toString('utf8').trim().split('\n');
    expect(header).toBe('tm,local,utc');
    expect(rows).toEqual(EXPECTED.map((row) => `${row.tm},${row.local},${row.utc}`));
  });

  it('Firehose JSON records write the same text', () => {
    const records = rowsToRecords(table(), 'load 1').map((record) => JSON.parse(Buffer.from(record).toString('utf8')) as unknown);
    expect(records).toEqual(EXPECTED);
  });
});

import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { duckdbRows, hyparquetRows, hyparquetSchema, parquetFiles } from '../support/parquet-readers.js';
import { runConfig, withTempDir } from '../support/pipeline.js';

const COLUMNS = {
  id: 'int64', big: 'int64', u64: 'uint64', dec: 'decimal(38,10)', price: 'decimal(12,2)', ts: 'timestamp',
  day: 'date', f: 'float64', txt: 'utf8', bin: 'binary', doc: 'json', flag: 'bool',
};

/** Each row as CSV fields and as what must come back (decimals as text, timestamps in µs, dates in days, bytes in hex). */
const ROWS = [
  {
    csv: ['1', '9007199254740993', '18446744073709551615', '-12345678901234567890.1234567890', '0.10', '2024-02-29T23:59:59.999999Z',
      '2024-02-29', '0.1', '"😀 4-byte, ""quoted""\nnext line"', 'AAECAFwA', '"{""n"":18446744073709551615}"', 'true'],
    want: { id: 1n, big: 9007199254740993n, u64: 18446744073709551615n, dec: '-12345678901234567890.1234567890', price: '0.10',
      ts: 1709251199999999n, day: 19782, f: 0.1, txt: '😀 4-byte, "quoted"\nnext line', bin: '000102005c00', doc: '{"n":18446744073709551615}', flag: true },
  },
  {
    csv: ['2', '-9223372036854775808', '0', '0.0000000001', '-99.99', '1969-12-31 23:59:59.000001', '1969-12-31', '-1e308', '""', '""', '"[]"', 'false'],
    want: { id: 2n, big: -9223372036854775808n, u64: 0n, dec: '0.0000000001', price: '-99.99', ts: -999999n, day: -1, f: -1e308,
      txt: '', bin: '', doc: '[]', flag: false },
  },
  {
    csv: ['3', '9223372036854775807', '1', '9999999999999999999999999999.9999999999', '1234567890.12', '2000-01-01T02:00:00.000001+02:00',
      '2000-01-01', '123456789.123456789', 'ɐ ß 中 𝄞', 'AA==', '{}', '1'],
    want: { id: 3n, big: 9223372036854775807n, u64: 1n, dec: '9999999999999999999999999999.9999999999', price: '1234567890.12',
      ts: 946684800000001n, day: 10957, f: 123456789.123456789, txt: 'ɐ ß 中 𝄞', bin: '00', doc: '{}', flag: true },
  },
  {
    csv: ['4', '', '', '', '', '', '', '', '', '', '', ''],
    want: { id: 4n, big: null, u64: null, dec: null, price: null, ts: null, day: null, f: null, txt: null, bin: null, doc: null, flag: null },
  },
];

function csvText(): string {
  return [Object.keys(COLUMNS).join(','), ...ROWS.map((r) => r.csv.join(','))].join('\r\n');
}

/** The same rows as NDJSON, numbers bare so big integers test the lossless parser. */
function ndjsonText(): string {
  const fields = (r: (typeof ROWS)[number]) => {
    const w = r.want;
    const bin = w.bin === null ? null : Buffer.from(w.bin, 'hex').toString('base64');
    return {
      id: String(w.id), big: w.big === null ? 'null' : String(w.big), u64: w.u64 === null ? 'null' : String(w.u64),
      dec: w.dec ?? 'null', price: w.price ?? 'null', ts: w.ts === null ? 'null' : JSON.stringify(r.csv[5]),
      day: w.day === null ? 'null' : JSON.stringify(r.csv[6]), f: w.f === null ? 'null' : r.csv[7],
      txt: JSON.stringify(w.txt), bin: JSON.stringify(bin), doc: w.doc ?? 'null', flag: String(w.flag),
    };
  };
  return ROWS.map((r) => `{${Object.entries(fields(r)).map(([k, v]) => `"${k}":${v}`).join(', ')}}`).join('\n');
}

async function convert(dir: string, format: 'csv' | 'ndjson', text: string) {
  const input = join(dir, `input.${format}`);
  await writeFile(input, text);
  const out = join(dir, 'out');
  const summary = await runConfig({
    source: { file: { path: input, format, batch_size: 3, columns: COLUMNS } },
    transform: { add_op_fields: false },
    target: { file: { path: out, batch_size: 2, concurrency: 2 } },
  });
  expect(summary.status).toBe('completed');
  expect(summary.rowsLoaded).toBe(ROWS.length);
  return out;
}

describe.each(['csv', 'ndjson'] as const)('file %s -> Parquet', (format) => {
  it('keeps every value and type, read back by independent readers', async () => {
    await withTempDir(async (dir) => {
      const out = await convert(dir, format, format === 'csv' ? csvText() : ndjsonText());
      const rows = await duckdbRows(out, 'id');
      expect(rows).toEqual(ROWS.map((r) => r.want));

      const files = await parquetFiles(out);
      const schema = await hyparquetSchema(files[0]);
      expect(schema.u64.logical_type).toEqual({ type: 'INTEGER', bitWidth: 64, isSigned: false });
      expect(schema.dec.logical_type).toEqual({ type: 'DECIMAL', precision: 38, scale: 10 });
      expect(schema.ts.logical_type).toEqual({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
      expect(schema.day.logical_type).toEqual({ type: 'DATE' });
      expect(schema.big.type).toBe('INT64');

      const second = (await Promise.all(files.map(hyparquetRows))).flat().sort((a, b) => Number(a.id) - Number(b.id));
      expect(second.map((r) => [r.id, r.big, r.u64, r.ts, r.txt])).toEqual(ROWS.map((r) => [r.want.id, r.want.big, r.want.u64, r.want.ts, r.want.txt]));
    });
  });
});

describe('file source errors', () => {
  it('names the file, line and column of a bad value', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'bad.csv');
      await writeFile(input, 'id,amount\n1,2.50\n2,"multi\nline"\n3,abc\n');
      const summary = await runConfig({
        source: { file: { path: input, columns: { id: 'int64', amount: 'decimal(10,2)' } } },
        target: { file: { path: join(dir, 'out') } },
      });
      expect(summary.status).toBe('failed');
      expect(summary.error?.code).toBe('FL_SOURCE_DATA');
      expect(summary.error?.message).toContain(`${input} line 3, column 2 (amount, decimal(10,2)): 'multi\nline' is not a decimal number`);
    });
  });

  it('infers column types from a sample when none are declared', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'infer.csv');
      await writeFile(input, 'n,x,when,day,ok,name\n1,1.5,2024-01-01T00:00:00.5Z,2024-01-01,true,a\n2,,2024-01-02 10:00:00,2024-01-02,false,\n');
      const out = join(dir, 'out');
      const summary = await runConfig({ source: { file: { path: input } }, transform: { add_op_fields: false }, target: { file: { path: out } } });
      expect(summary.status).toBe('completed');
      const schema = await hyparquetSchema((await parquetFiles(out))[0]);
      expect(schema.n.type).toBe('INT64');
      expect(schema.x.type).toBe('DOUBLE');
      expect(schema.when.logical_type).toMatchObject({ type: 'TIMESTAMP', unit: 'MICROS' });
      expect(schema.day.logical_type).toEqual({ type: 'DATE' });
      expect(schema.ok.type).toBe('BOOLEAN');
      expect(schema.name.logical_type).toEqual({ type: 'STRING' });
    });
  });
});

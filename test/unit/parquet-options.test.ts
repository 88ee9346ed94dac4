import { describe, expect, it } from '@jest/globals';
import { Table, Utf8, makeData, makeVector } from 'apache-arrow';
import { parquetMetadata, parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { encodeParquet, fewDistinctColumns } from '../../src/formats/parquet.js';

const ROWS = 10_000;

/** `status` repeats four values; `note` and `id` are unique per row. */
function sampleTable(): Table {
  const statuses = ['new', 'paid', 'shipped', 'returned'];
  const text = (values: string[]) => {
    const bytes = Buffer.from(values.join(''), 'utf8');
    const offsets = new Int32Array(values.length + 1);
    values.forEach((v, i) => (offsets[i + 1] = offsets[i] + Buffer.byteLength(v)));
    return makeVector(makeData({ type: new Utf8(), length: values.length, valueOffsets: offsets, data: bytes }));
  };
  return new Table({
    id: makeVector(Int32Array.from({ length: ROWS }, (_, i) => i)),
    status: text(Array.from({ length: ROWS }, (_, i) => statuses[i % 4])),
    note: text(Array.from({ length: ROWS }, (_, i) => `note ${i} \u{1F600}`)),
  });
}

/** Column name -> [encodings, has min/max in the chunk, has a page index]. */
function columnChunks(bytes: Uint8Array): Record<string, [string[], boolean, boolean]> {
  const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
  return Object.fromEntries(metadata.row_groups[0].columns.map((chunk) => {
    const meta = chunk.meta_data!;
    const stats = meta.statistics;
    return [meta.path_in_schema.join('.'), [meta.encodings, stats?.min_value !== undefined && stats?.max_value !== undefined, chunk.column_index_offset !== undefined]];
  }));
}

describe('Parquet encoder options', () => {
  it('auto: a dictionary only for columns with few distinct values, chunk statistics, same values', async () => {
    const table = sampleTable();
    expect(fewDistinctColumns(table)).toEqual(['status']);
    const bytes = encodeParquet(table, { compression: 'zstd', rowGroupSize: ROWS });
    const chunks = columnChunks(bytes);
    expect(chunks.status[0]).toContain('RLE_DICTIONARY');
    expect(chunks.note[0]).not.toContain('RLE_DICTIONARY');
    expect(chunks.id[0]).not.toContain('RLE_DICTIONARY');
    for (const name of ['id', 'status', 'note']) expect(chunks[name].slice(1)).toEqual([true, false]);
    const rows = await parquetReadObjects({ file: bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer, compressors });
    expect(rows).toHaveLength(ROWS);
    expect(rows[9999]).toEqual({ id: 9999, status: 'returned', note: 'note 9999 \u{1F600}' });
  });

  it('on, off, page statistics and none as configured', () => {
    const table = sampleTable();
    const on = columnChunks(encodeParquet(table, { compression: 'snappy', rowGroupSize: ROWS, dictionary: 'on', statistics: 'page' }));
    expect(on.note[0]).toContain('RLE_DICTIONARY');
    expect(on.note.slice(1)).toEqual([true, true]);
    const off = columnChunks(encodeParquet(table, { compression: 'snappy', rowGroupSize: ROWS, dictionary: 'off', statistics: 'none' }));
    expect(off.status[0]).not.toContain('RLE_DICTIONARY');
    expect(off.status[1]).toBe(false);
  });
});

import { describe, expect, it } from '@jest/globals';
import { Float64, Int32, Int64, Table, Utf8, tableFromIPC, tableToIPC, vectorFromArray } from 'apache-arrow';
import { joinIpcStreams } from '../../src/arrow/ipc-stream.js';

interface Row {
  id: number;
  name: string | null;
  amount: bigint;
  score: number | null;
}

function table(rows: readonly Row[]): Table {
  return new Table({
    id: vectorFromArray(rows.map((r) => r.id), new Int32()),
    name: vectorFromArray(rows.map((r) => r.name), new Utf8()),
    amount: vectorFromArray(rows.map((r) => r.amount), new Int64()),
    score: vectorFromArray(rows.map((r) => r.score), new Float64()),
  });
}

function rowsOf(t: Table): Row[] {
  return t.toArray().map((row) => ({ ...(row.toJSON() as unknown as Row) }));
}

const first: Row[] = [
  { id: 1, name: 'one', amount: 9223372036854775807n, score: 0.1 },
  { id: 2, name: null, amount: -1n, score: null },
];
const second: Row[] = [{ id: 3, name: '😀 three', amount: 0n, score: -2.5 }];
const third: Row[] = [
  { id: 4, name: '', amount: -9223372036854775808n, score: 1e300 },
  { id: 5, name: 'five', amount: 5n, score: 5 },
  { id: 6, name: 'six', amount: 6n, score: null },
];

describe('joinIpcStreams', () => {
  it('joins streams of one schema into one stream with every batch, in order', () => {
    const tables = [table(first), table(second), table(third)];
    const joined = joinIpcStreams(tables.map((t) => tableToIPC(t, 'stream')));
    expect(joined).not.toBeNull();

    const result = tableFromIPC(joined!);
    expect(result.schema.fields.map((f) => `${f.name}:${String(f.type)}`)).toEqual(tables[0].schema.fields.map((f) => `${f.name}:${String(f.type)}`));
    expect(result.batches.map((b) => b.numRows)).toEqual([2, 1, 3]);
    expect(result.numRows).toBe(6);
    expect(rowsOf(result)).toEqual([...first, ...second, ...third]);
    expect(result.getChild('name')!.nullCount).toBe(1);
  });

  it('keeps every batch of streams that hold several', () => {
    const twoBatches = new Table([...table(first).batches, ...table(second).batches]);
    const joined = joinIpcStreams([tableToIPC(twoBatches, 'stream'), tableToIPC(table(third), 'stream')]);
    const result = tableFromIPC(joined!);
    expect(result.batches.map((b) => b.numRows)).toEqual([2, 1, 3]);
    expect(rowsOf(result)).toEqual([...first, ...second, ...third]);
  });

  it('returns a single stream as it is', () => {
    const stream = tableToIPC(table(first), 'stream');
    expect(joinIpcStreams([stream])).toBe(stream);
    expect(rowsOf(tableFromIPC(stream))).toEqual(first);
  });

  it('returns null for streams of different schemas', () => {
    const base = tableToIPC(table(first), 'stream');
    const renamed = tableToIPC(new Table({ id: vectorFromArray([1], new Int32()), label: vectorFromArray(['x'], new Utf8()) }), 'stream');
    const retyped = tableToIPC(
      new Table({
        id: vectorFromArray([1n], new Int64()),
        name: vectorFromArray(['x'], new Utf8()),
        amount: vectorFromArray([1n], new Int64()),
        score: vectorFromArray([1], new Float64()),
      }),
      'stream',
    );
    expect(joinIpcStreams([base, renamed])).toBeNull();
    expect(joinIpcStreams([base, retyped])).toBeNull();
    expect(joinIpcStreams([base, base, retyped])).toBeNull();
  });

  it('returns null for a stream without its end marker or bytes that are no stream', () => {
    const base = tableToIPC(table(first), 'stream');
    const cut = base.subarray(0, base.byteLength - 8);
    expect(joinIpcStreams([base, cut])).toBeNull();
    expect(joinIpcStreams([new Uint8Array(32).fill(7), base])).toBeNull();
  });
});

import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { formatScaled } from '../../src/arrow/format.js';
import { readWords } from '../../src/arrow/builders/decimal.js';
import { Binary, Decimal128, Double, Int32, Long, ObjectId, type Document } from 'bson';
import { Type, type Table } from 'apache-arrow';
import { readAll, rowsOf } from '../support/mongodb-source.js';
import { startTestMongo, type TestMongo } from '../support/mongodb.js';
import { compareOffsets, type Offset } from '../../src/stages/offset.js';

let mongo: TestMongo;

beforeAll(async () => {
  mongo = await startTestMongo('src');
});

afterAll(async () => {
  await mongo?.stop();
});

const OID = (n: number): ObjectId => ObjectId.createFromHexString(n.toString(16).padStart(24, '0'));

/** One document of every type the source reads, and a sparse one (missing fields). */
const TYPED: Document[] = [
  {
    _id: OID(1), i32: new Int32(-2147483648), i64: Long.fromString('9007199254740993'), dbl: new Double(-0.1),
    dec: Decimal128.fromString('12345678901234567890.123456789'), flag: true, when: new Date(-86_400_000 * 365 * 100 - 1),
    text: 'plain', bytes: new Binary(Buffer.from([0, 1, 0, 255])), sub: { a: { b: Long.fromString('-9223372036854775808') }, c: 'x' },
    list: [1, 'two', { three: 3 }], oid: OID(0xabc),
  },
  {
    _id: OID(2), i32: new Int32(2147483647), i64: Long.fromString('-9223372036854775807'), dbl: new Double(1.7976931348623157e308),
    dec: Decimal128.fromString('-0.000000001'), flag: false, when: new Date(Date.UTC(2100, 0, 1, 12, 0, 0, 999)),
    text: '4-byte 😀 and "quotes" and \\', bytes: new Binary(Buffer.alloc(0)), sub: { a: { b: Long.fromInt(7) }, c: null },
    list: [], oid: OID(0xdef),
  },
  { _id: OID(3), i32: null, text: 'sparse' },
];

describe('MongoDB source: BSON to Arrow', () => {
  beforeAll(async () => {
    await mongo.db.collection('typed').insertMany(TYPED.map((d) => ({ ...d })));
  });

  test('every type arrives exactly, with its Arrow type; missing fields are NULL; _id left out', async () => {
    const { tables } = await readAll(mongo.section('typed'));
    expect(tables).toHaveLength(1);
    const table = tables[0];
    const types = Object.fromEntries(table.schema.fields.map((f) => [f.name, f.type.toString()]));
    expect(types).toEqual({
      i32: 'Int32', i64: 'Int64', dbl: 'Float64', dec: 'Decimal[38e+9]', flag: 'Bool', when: 'Timestamp<MICROSECOND, UTC>',
      text: 'Utf8', bytes: 'Binary', sub: 'Utf8', list: 'Utf8', oid: 'Utf8',
    });
    expect([...table.getChild('i32')!]).toEqual([-2147483648, 2147483647, null]);
    expect([...table.getChild('i64')!].map(String)).toEqual(['9007199254740993', '-9223372036854775807', 'null']);
    expect(Object.is(table.getChild('dbl')!.get(0), -0.1)).toBe(true);
    expect(table.getChild('dbl')!.get(1)).toBe(1.7976931348623157e308);
    expect(table.getChild('dec')!.get(0)?.toString()).toBeDefined();
    expect(decimalTexts(table, 'dec')).toEqual(['12345678901234567890.123456789', '-0.000000001', null]);
    expect([...table.getChild('flag')!]).toEqual([true, false, null]);
    expect(micros(table, 'when')).toEqual([String(BigInt(-86_400_000 * 365 * 100 - 1) * 1000n), String(BigInt(Date.UTC(2100, 0, 1, 12, 0, 0, 999)) * 1000n), null]);
    expect([...table.getChild('text')!]).toEqual(['plain', '4-byte 😀 and "quotes" and \\', 'sparse']);
    expect([...table.getChild('bytes')!].map((b) => (b === null ? null : Buffer.from(b as Uint8Array).toString('hex')))).toEqual(['000100ff', '', null]);
    expect([...table.getChild('sub')!]).toEqual(['{"a":{"b":-9223372036854775808},"c":"x"}', '{"a":{"b":7},"c":null}', null]);
    expect([...table.getChild('list')!]).toEqual(['[1,"two",{"three":3}]', '[]', null]);
    expect([...table.getChild('oid')!]).toEqual(['000000000000000000000abc', '000000000000000000000def', null]);
    expect(table.getChild('sub')!.type.typeId).toBe(Type.Utf8);
    expect(table.schema.fields.find((f) => f.name === 'sub')!.metadata.get('fastlane.type')).toBe('json');
  });

  test('the same values in any process time zone', async () => {
    const before = rowsOf((await readAll(mongo.section('typed'))).tables);
    const zone = process.env.TZ;
    process.env.TZ = 'Pacific/Kiritimati';
    try {
      expect(rowsOf((await readAll(mongo.section('typed'))).tables)).toEqual(before);
    } finally {
      if (zone === undefined) delete process.env.TZ;
      else process.env.TZ = zone;
    }
  });

  test('include_id and columns naming _id give its hex string; columns choose and order fields', async () => {
    const withId = (await readAll(mongo.section('typed', { include_id: true }))).tables[0];
    expect(withId.schema.fields[0].name).toBe('_id');
    expect([...withId.getChild('_id')!]).toEqual([1, 2, 3].map((n) => OID(n).toHexString()));
    const chosen = (await readAll(mongo.section('typed', { columns: ['text', '_id', 'absent'] }))).tables[0];
    expect(chosen.schema.fields.map((f) => f.name)).toEqual(['text', '_id', 'absent']);
    expect(rowsOf([chosen])[2]).toEqual({ text: 'sparse', _id: OID(3).toHexString(), absent: null });
  });

  test('declared column types; nested documents flattened to a.b.c columns', async () => {
    const declared = (await readAll(mongo.section('typed', { columns: { i64: 'decimal(38,2)', i32: 'int64', text: 'json', when: 'date' } }))).tables[0];
    expect(declared.schema.fields.map((f) => `${f.name}:${f.type}`)).toEqual(['i64:Decimal[38e+2]', 'i32:Int64', 'text:Utf8', 'when:Timestamp<MICROSECOND, UTC>']);
    expect(decimalTexts(declared, 'i64')).toEqual(['9007199254740993.00', '-9223372036854775807.00', null]);
    expect([...declared.getChild('text')!]).toEqual(['"plain"', '"4-byte 😀 and \\"quotes\\" and \\\\"', '"sparse"']);
    const flat = (await readAll(mongo.section('typed', { nested: 'flatten' }))).tables[0];
    expect(flat.schema.fields.map((f) => f.name)).toEqual(expect.arrayContaining(['sub.a.b', 'sub.c']));
    expect([...flat.getChild('sub.a.b')!].map(String)).toEqual(['-9223372036854775808', '7', 'null']);
    expect([...flat.getChild('sub.c')!]).toEqual(['x', null, null]);
  });

  test('a field whose type changes after the sample: NULL, counted and reported', async () => {
    await mongo.db.collection('drift').insertMany([{ n: 1 }, { n: 2 }, { n: 'three' }, { n: 4.5 }, { n: Long.fromString('9007199254740993') }]);
    const { tables, warnings } = await readAll(mongo.section('drift', { sample_size: 2 }));
    expect(tables[0].getChild('n')!.type.toString()).toBe('Int32');
    expect([...tables[0].getChild('n')!]).toEqual([1, 2, null, null, null]);
    expect(Object.values(warnings)).toEqual([3]);
    const widened = (await readAll(mongo.section('drift', { sample_size: 2, columns: { n: 'double' } })));
    expect([...widened.tables[0].getChild('n')!]).toEqual([1, 2, null, 4.5, null]);
    const mixed = (await readAll(mongo.section('drift'))).tables[0];
    expect([...mixed.getChild('n')!]).toEqual(['1', '2', '"three"', '4.5', '9007199254740993']);
  });
});

/** A timestamp column's stored microseconds (Arrow JS's getter gives milliseconds). */
function micros(table: Table, name: string): (string | null)[] {
  const vector = table.getChild(name)!;
  const values = vector.data[0].values as BigInt64Array;
  return Array.from({ length: vector.length }, (_, i) => (vector.isValid(i) ? String(values[i]) : null));
}

function decimalTexts(table: Table, name: string): (string | null)[] {
  const vector = table.getChild(name)!;
  const scale = (vector.type as unknown as { scale: number }).scale;
  return [...vector].map((value) => (value === null ? null : formatScaled(readWords(value as Uint32Array, 0, 4), scale)));
}

describe('MongoDB source: order, offsets and filters', () => {
  /** Keys with repeats across every page boundary of 3-document pages. */
  const keyed = (key: (i: number) => unknown) => Array.from({ length: 20 }, (_, i) => ({ _id: OID(100 + ((i * 7) % 20)), k: key(Math.floor(i / 2)), n: i }));

  test.each([
    ['integer', (i: number) => new Int32(i * 10 - 30)],
    ['int64', (i: number) => Long.fromString(String(-1099511627776n + BigInt(i)))],
    ['date', (i: number) => new Date(Date.UTC(1960, 0, 1) + i * 86_400_000 * 400)],
    ['string', (i: number) => `key ${String.fromCodePoint(0x1f600 + (9 - i))} ${i}`],
    ['ObjectId', (i: number) => OID(5000 - i)],
  ])('%s keys with repeats: pages in (key, _id) order; resuming from any offset reads exactly the rest', async (kind, key) => {
    const name = `order_${kind}`;
    await mongo.db.collection(name).insertMany(keyed(key));
    const section = mongo.section(name, { replication_key: 'k', batch_size: 3 });
    const whole = await readAll(section);
    const rows = rowsOf(whole.tables);
    expect(rows.map((r) => r.n).sort((a, b) => Number(a) - Number(b))).toEqual(Array.from({ length: 20 }, (_, i) => i));
    expect(whole.tables.map((t) => t.numRows)).toEqual([3, 3, 3, 3, 3, 3, 2]);
    const offsets = whole.offsets as Offset[];
    for (let i = 1; i < offsets.length; i++) expect(compareOffsets(offsets[i - 1], offsets[i])).toBeLessThan(0);
    for (let page = 0; page < offsets.length; page++) {
      const rest = rowsOf((await readAll(section, JSON.parse(JSON.stringify(offsets[page], (_k, v: unknown) => (typeof v === 'bigint' ? `${v}n` : v)), reviveBigint))).tables);
      expect(rest).toEqual(rows.slice((page + 1) * 3));
    }
  });

  test('replication_key _id (the default): the offset is the _id', async () => {
    const { offsets } = await readAll(mongo.section('order_integer', { batch_size: 8 }));
    expect(offsets.map((o) => JSON.stringify(o))).toEqual([107, 115, 119].map((n) => JSON.stringify({ parts: [{ kind: 'objectId', value: OID(n).toHexString() }] })));
  });

  test('filter_fields: a JSON filter with Extended JSON values, sent exactly', async () => {
    await mongo.db.collection('filtered').insertMany(Array.from({ length: 10 }, (_, i) => ({ n: Long.fromString(String(9007199254740980n + BigInt(i))), tag: i % 2 ? 'odd' : 'even', sub: { x: i } })));
    const section = mongo.section('filtered', { filter_fields: { n: { $gt: { $numberLong: '9007199254740985' } }, tag: 'odd' } });
    const rows = rowsOf((await readAll(section)).tables);
    expect(rows.map((r) => String(r.n))).toEqual(['9007199254740987', '9007199254740989']);
    if (mongo.server) {
      const finds = mongo.server.commands.filter((c) => c.find === 'filtered');
      expect((finds.at(-1)!.filter as Document).n.$gt).toBe(9007199254740985n);
    }
    const seed = mongo.section('filtered', { filter_fields: [['sub.x', '$gt', 6, 0], ['tag', 'even', 'None', 0]] });
    expect(rowsOf((await readAll(seed)).tables).map((r) => r.sub)).toEqual(['{"x":8}']);
  });
});

/** JSON.parse reviver for the test's own bigint spelling ("123n"). */
function reviveBigint(_key: string, value: unknown): unknown {
  return typeof value === 'string' && /^-?\d+n$/.test(value) ? BigInt(value.slice(0, -1)) : value;
}

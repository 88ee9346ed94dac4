import { describe, expect, test } from '@jest/globals';
import { Double, Long, ObjectId } from 'bson';
import { buildFilter, seedFilterToJson } from '../../src/connectors/mongodb/filter.js';
import { afterCondition, partValue } from '../../src/connectors/mongodb/keys.js';
import { lastKeyMetadata, removeBeyondOffset } from '../../src/connectors/s3/cleanup.js';
import type { ObjectStore } from '../../src/connectors/s3/store.js';
import { compareOffsets, formatOffset, offsetFromJSON, offsetToJSON, type Offset } from '../../src/stages/offset.js';

describe('MongoDB filter_fields', () => {
  test("the seed's list form translates to the same query", () => {
    expect(seedFilterToJson([
      ['test1.field.number_field', '$gt', 49, 0],
      ['test1.field.string_field', 'hi', 'None', 0],
      ['test1.field.number_field', '$lte', 100, 0],
      ['plain', 'value', 'None'],
    ])).toEqual({ 'test1.field.number_field': { $gt: 49, $lte: 100 }, 'test1.field.string_field': 'hi', plain: 'value' });
  });

  test('Extended JSON values decode exactly; plain values keep their JSON meaning', () => {
    const filter = buildFilter({ n: { $gt: { $numberLong: '9007199254740993' } }, id: { $oid: '0123456789abcdef01234567' }, when: { $lt: { $date: '1969-12-31T23:59:59.999Z' } } });
    expect((filter.n.$gt as Long).toBigInt()).toBe(9007199254740993n);
    expect((filter.id as ObjectId).toHexString()).toBe('0123456789abcdef01234567');
    expect((filter.when.$lt as Date).getTime()).toBe(-1);
  });

  test('the eval flag and server-side code are refused with FL_CONFIG_INVALID', () => {
    expect(() => buildFilter([['n', '$gt', 'datetime.now()', 1]])).toThrow(expect.objectContaining({ code: 'FL_CONFIG_INVALID' }));
    expect(() => buildFilter({ $or: [{ $where: 'sleep(1)' }] })).toThrow(/\$where, which runs JavaScript/);
    expect(() => buildFilter({ a: { $accumulator: {} } })).toThrow(/runs JavaScript/);
  });
});

describe('MongoDB offsets', () => {
  const oid = '65a1b2c3d4e5f60718293a4b';
  const offsets: Offset[] = [
    { parts: [{ kind: 'number', value: -5n }, { kind: 'objectId', value: oid }] },
    { parts: [{ kind: 'number', value: 9007199254740993n }, { kind: 'objectId', value: oid }] },
    { parts: [{ kind: 'date', value: -1 }, { kind: 'objectId', value: oid }] },
    { parts: [{ kind: 'string', value: 'ünï 😀' }, { kind: 'objectId', value: oid }] },
    { parts: [{ kind: 'objectId', value: oid }] },
  ];

  test.each(offsets.map((o) => [formatOffset(o), o]))('%s survives JSON text (as every target stores it)', (_label, offset) => {
    expect(offsetFromJSON(JSON.parse(JSON.stringify(offsetToJSON(offset))))).toEqual(offset);
  });

  test('composite offsets compare part by part, exactly beyond 2^53', () => {
    const at = (key: bigint | number, id: string): Offset => ({ parts: [{ kind: 'number', value: key }, { kind: 'objectId', value: id }] });
    expect(compareOffsets(at(9007199254740993n, 'a'), at(9007199254740992n, 'z'))).toBeGreaterThan(0);
    expect(compareOffsets(at(5n, 'a'), at(5, 'b'))).toBeLessThan(0);
    expect(compareOffsets(at(5n, 'b'), at(5n, 'b'))).toBe(0);
    expect(compareOffsets(at(1.5, 'b'), at(2n, 'a'))).toBeLessThan(0);
    expect(formatOffset(at(7n, oid))).toBe(`(number 7, objectId ${oid})`);
  });

  test('resuming after (key, _id) asks for a greater key, or the same key and a greater _id', () => {
    const condition = afterCondition({ parts: [{ kind: 'number', value: 9007199254740993n }, { kind: 'objectId', value: oid }] }, 'seq');
    const [greater, tie] = condition.$or as Record<string, Record<string, unknown>>[];
    expect((greater.seq.$gt as Long).toBigInt()).toBe(9007199254740993n);
    expect((tie.seq as unknown as Long).toBigInt()).toBe(9007199254740993n);
    expect((tie._id.$gt as ObjectId).toHexString()).toBe(oid);
    expect(afterCondition(-1, 'rowid')).toEqual({ rowid: { $gt: new Double(-1) } });
    expect(() => partValue({ kind: 'uuid', value: 'x' })).toThrow(/never writes/);
  });
});

describe('composite offsets in the S3 target', () => {
  test('objects written beyond the recorded composite offset are told apart and removed', async () => {
    const at = (day: number, id: string): Offset => ({ parts: [{ kind: 'date', value: day }, { kind: 'objectId', value: id }] });
    const objects = new Map<string, Record<string, string>>([
      ['data/part-7-000001.parquet', lastKeyMetadata(at(10, 'aa'))!],
      ['data/part-7-000002.parquet', lastKeyMetadata(at(20, 'aa'))!],
      ['data/part-7-000003.parquet', lastKeyMetadata(at(20, 'ab'))!],
      ['data/part-6-000001.parquet', lastKeyMetadata(at(99, 'ff'))!],
    ]);
    const store = {
      list: async (prefix: string) => [...objects.keys()].filter((k) => k.startsWith(prefix)),
      metadata: async (key: string) => objects.get(key) ?? {},
      remove: async (keys: string[]) => void keys.forEach((k) => objects.delete(k)),
    } as unknown as ObjectStore;
    expect(await removeBeyondOffset(store, 'data/', '7', at(20, 'aa'))).toBe(1);
    expect([...objects.keys()]).toEqual(['data/part-7-000001.parquet', 'data/part-7-000002.parquet', 'data/part-6-000001.parquet']);
  });
});

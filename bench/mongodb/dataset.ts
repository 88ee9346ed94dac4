import { BSON, Decimal128, Double, Int32, Long, ObjectId } from 'bson';

/**
 * Documents shaped like an application's events: 11 fields of the common BSON types (ObjectId,
 * int32, int64, double, Decimal128, strings, bool, date, a sub-document and an array), ~300 bytes.
 */
export function benchDocuments(count: number, start = 0): Buffer[] {
  const docs: Buffer[] = new Array(count);
  const base = Date.UTC(2024, 0, 1);
  for (let i = 0; i < count; i++) {
    const n = start + i;
    docs[i] = Buffer.from(BSON.serialize({
      _id: ObjectId.createFromTime(1_700_000_000 + n),
      seq: new Int32(n),
      account: Long.fromNumber(n * 7919),
      amount: new Double((n % 100_000) / 100),
      price: Decimal128.fromString(`${n % 1000}.${String(n % 100).padStart(2, '0')}`),
      name: `customer ${n % 50_000} ünïcödé`,
      status: n % 3 === 0 ? 'shipped' : 'pending',
      active: n % 2 === 0,
      created: new Date(base + n * 1000),
      address: { city: `city ${n % 500}`, zip: new Int32(10_000 + (n % 90_000)) },
      tags: ['a', `t${n % 10}`],
    }));
  }
  return docs;
}

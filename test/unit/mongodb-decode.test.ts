import { describe, expect, test } from '@jest/globals';
import fc from 'fast-check';
import { BSON, Decimal128, EJSON, Int32, Long, type Document } from 'bson';
import { PageDecoder, arrowSchema, type ColumnPlan } from '../../src/connectors/mongodb/page.js';
import { jsonText } from '../../src/connectors/mongodb/json-text.js';
import { decimalText, readDecimal128 } from '../../src/connectors/mongodb/decimal128.js';
import { formatScaled } from '../../src/arrow/format.js';
import { readWords } from '../../src/arrow/builders/decimal.js';

function decode(plans: ColumnPlan[], docs: Document[]): { values: unknown[][]; mismatches: string[] } {
  const mismatches: string[] = [];
  const page = new PageDecoder(plans, arrowSchema(plans), docs.length, { mismatch: (c) => mismatches.push(c) }, false);
  for (const doc of docs) page.add(Buffer.from(BSON.serialize(doc)), 0);
  const table = page.finish();
  return { values: plans.map((p) => [...table.getChild(p.name)!]), mismatches };
}

function decimalOf(words: Uint32Array | null, scale: number): string | null {
  return words === null ? null : formatScaled(readWords(words, 0, 4), scale);
}

/** The exact value of a decimal text at `scale` places, or null when it would need rounding. */
function expectedAtScale(text: string, scale: number): string | null {
  const [intPart, frac = ''] = text.replace(/^-/, '').split('.');
  if (frac.length > scale && /[1-9]/.test(frac.slice(scale))) return null;
  const digits = `${BigInt(intPart)}`;
  const fraction = frac.slice(0, scale).padEnd(scale, '0');
  const value = BigInt(`${digits}${fraction}`);
  if (value >= 10n ** 38n) return null;
  const negative = text.startsWith('-') && value !== 0n;
  return `${negative ? '-' : ''}${scale === 0 ? digits : `${digits}.${fraction}`}`;
}

const decimalTextArb = fc.tuple(fc.boolean(), fc.bigInt({ min: 0n, max: 10n ** 34n - 1n }), fc.integer({ min: 0, max: 30 }))
  .map(([negative, coefficient, places]) => {
    const digits = coefficient.toString().padStart(places + 1, '0');
    const text = places === 0 ? digits : `${digits.slice(0, -places)}.${digits.slice(-places)}`;
    return negative ? `-${text}` : text;
  });

describe('MongoDB decoding: BSON bytes to Arrow', () => {
  test('Decimal128 to Decimal(38, s): exact for every coefficient and exponent, refused where it would round', () => {
    fc.assert(fc.property(decimalTextArb, fc.integer({ min: 0, max: 20 }), (text, scale) => {
      const { values, mismatches } = decode([{ name: 'd', type: { kind: 'decimal', precision: 38, scale } }], [{ d: Decimal128.fromString(text) }]);
      const expected = expectedAtScale(text, scale);
      expect(decimalOf(values[0][0] as Uint32Array | null, scale)).toBe(expected);
      expect(mismatches).toHaveLength(expected === null ? 1 : 0);
    }), { numRuns: 500 });
  });

  test("Decimal128 text matches the bson library's own", () => {
    fc.assert(fc.property(decimalTextArb, (text) => {
      const bytes = Buffer.from(Decimal128.fromString(text).bytes);
      const exact = decimalText(readDecimal128(bytes, 0), bytes, 0);
      expect(exact.replace(/^-(?=0(\.0*)?$)/, '')).toBe(text.replace(/^-(?=0(\.0*)?$)/, ''));
    }), { numRuns: 300 });
  });

  test('int64 and int32 exactly, and JSON text of nested values exactly as JSON.parse would read it back', () => {
    fc.assert(fc.property(fc.bigInt({ min: -(2n ** 63n), max: 2n ** 63n - 1n }), fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }), fc.string({ unit: 'grapheme' }), (big, small, text) => {
      const doc = { l: Long.fromBigInt(big), i: new Int32(small), sub: { s: text, l: Long.fromBigInt(big), a: [new Int32(small), null, true] } };
      const { values } = decode([
        { name: 'l', type: { kind: 'int64' } }, { name: 'i', type: { kind: 'int32' } }, { name: 'sub', type: { kind: 'json' } },
      ], [doc]);
      expect(values[0][0]).toBe(big);
      expect(values[1][0]).toBe(small);
      expect(values[2][0]).toBe(`{"s":${JSON.stringify(text)},"l":${big},"a":[${small},null,true]}`);
      const bytes = Buffer.from(BSON.serialize({ v: doc.sub }));
      expect(jsonText(bytes, 3, 7, bytes.length - 1)).toBe(values[2][0]);
    }), { numRuns: 300 });
  });

  test('dates as UTC microseconds across the whole range, before 1970 and after 2038', () => {
    fc.assert(fc.property(fc.integer({ min: -8.64e15, max: 8.64e15 }), (ms) => {
      const page = new PageDecoder([{ name: 't', type: { kind: 'date' } }], arrowSchema([{ name: 't', type: { kind: 'date' } }]), 1, { mismatch: () => undefined }, false);
      page.add(Buffer.from(BSON.serialize({ t: new Date(ms) })), 0);
      expect((page.finish().getChild('t')!.data[0].values as BigInt64Array)[0]).toBe(BigInt(ms) * 1000n);
    }), { numRuns: 300 });
  });

  test('a document cut short is a clear error, not a wrong row', () => {
    const bytes = Buffer.from(BSON.serialize({ a: 'text' }));
    const page = new PageDecoder([{ name: 'a', type: { kind: 'string' } }], arrowSchema([{ name: 'a', type: { kind: 'string' } }]), 1, { mismatch: () => undefined }, false);
    expect(() => page.add(bytes.subarray(0, bytes.length - 3), 0)).toThrow(/cut short|past the end/);
  });

  test('Extended JSON forms for values JSON has none for', () => {
    const doc = EJSON.deserialize({ v: [{ $numberDouble: 'NaN' }, { $numberDecimal: 'Infinity' }, { $timestamp: { t: 5, i: 1 } }, { $date: { $numberLong: '-62198755200001' } }] }, { relaxed: false });
    const bytes = Buffer.from(BSON.serialize(doc));
    expect(jsonText(bytes, 4, 7, bytes.length - 1)).toBe('[{"$numberDouble":"NaN"},{"$numberDecimal":"Infinity"},{"$timestamp":{"t":5,"i":1}},{"$date":{"$numberLong":"-62198755200001"}}]');
  });
});

import { describe, expect, it } from '@jest/globals';
import { makeVector, Type, type Data, type Decimal, type Table, type TimestampMicrosecond } from 'apache-arrow';
import { ValueError } from '../../src/arrow/builders/column-builder.js';
import { FastlaneError } from '../../src/errors.js';
import { BytesDecoder } from '../../src/connectors/mysql/wire/bytes.js';
import { DecimalDecoder, FloatDecoder } from '../../src/connectors/mysql/wire/decimals.js';
import type { ColumnDecoder, DecodeWarnings } from '../../src/connectors/mysql/wire/decoder.js';
import { BigIntDecoder, BitDecoder, SmallIntDecoder } from '../../src/connectors/mysql/wire/integers.js';
import { DateDecoder, TimeDecoder, TimestampDecoder } from '../../src/connectors/mysql/wire/temporal.js';
import type { KeyKind, PageBuilder } from '../../src/connectors/mysql/page-builder.js';
import { PagePool } from '../../src/connectors/mysql/page-pool.js';
import { planColumn, type ColumnPlan } from '../../src/connectors/mysql/source-types.js';

type Value = string | Buffer | null;

const ZERO_DATES = 'zero_dates_as_null';
const DAY_MS = 86_400_000;

function bytesOf(value: string | Buffer): Buffer {
  return typeof value === 'string' ? Buffer.from(value, 'utf8') : value;
}

/**
 * Appends each value (null: NULL) as `buf[start, end)` with digits on both sides, as values sit
 * inside a row packet, so a decoder reading outside its range shows; returns the finished data.
 */
function decode(decoder: ColumnDecoder, values: readonly Value[]): Data {
  values.forEach((value, index) => {
    if (value === null) return decoder.appendNull(index);
    const bytes = bytesOf(value);
    const buf = Buffer.concat([Buffer.from('99'), bytes, Buffer.from('88')]);
    decoder.append(buf, 2, 2 + bytes.length, index);
  });
  return decoder.finish(values.length);
}

/** Each row's raw storage value, or null where the row is NULL. */
function cells(data: Data): unknown[] {
  const values = data.values as ArrayLike<unknown>;
  return Array.from({ length: data.length }, (_, i) => (data.getValid(i) ? values[i] : null));
}

/** Each row of a decimal column as its scaled integer (little-endian two's complement words), or null. */
function scaled(data: Data): (bigint | null)[] {
  const stride = (data.type as Decimal).bitWidth / 32;
  const words = data.values as Uint32Array;
  return Array.from({ length: data.length }, (_, i) => {
    if (!data.getValid(i)) return null;
    let value = 0n;
    for (let w = stride - 1; w >= 0; w--) value = (value << 32n) | BigInt(words[i * stride + w]);
    return BigInt.asIntN(stride * 32, value);
  });
}

function recorder(): { warnings: DecodeWarnings; counted: string[] } {
  const counted: string[] = [];
  return { warnings: { count: (name) => void counted.push(name) }, counted };
}

/** Microseconds since 1970 of a UTC wall-clock time (years 100 and later). */
function micros(year: number, month: number, day: number, hour = 0, minute = 0, second = 0, fraction = 0n): bigint {
  return BigInt(Date.UTC(year, month - 1, day, hour, minute, second)) * 1000n + fraction;
}

function expectRejected(make: () => ColumnDecoder, value: string | Buffer, message: RegExp): void {
  expect(() => decode(make(), [value])).toThrow(ValueError);
  expect(() => decode(make(), [value])).toThrow(message);
}

describe('MySQL text-protocol decoders', () => {
  describe('SmallIntDecoder', () => {
    it('reads every width at its limits, signed and unsigned, with NULLs', () => {
      expect(cells(decode(new SmallIntDecoder(8, true, 4), ['-128', '127', null, '-0']))).toEqual([-128, 127, null, 0]);
      expect(cells(decode(new SmallIntDecoder(8, false, 2), ['0', '255']))).toEqual([0, 255]);
      expect(cells(decode(new SmallIntDecoder(16, true, 2), ['-32768', '32767']))).toEqual([-32768, 32767]);
      expect(cells(decode(new SmallIntDecoder(16, false, 2), ['65535', '2024']))).toEqual([65535, 2024]);
      expect(cells(decode(new SmallIntDecoder(32, true, 2), ['-2147483648', '2147483647']))).toEqual([-2147483648, 2147483647]);
      expect(cells(decode(new SmallIntDecoder(32, false, 2), ['4294967295', '7']))).toEqual([4294967295, 7]);
    });

    it('types the column by width and sign and keeps the null count', () => {
      const decoder = new SmallIntDecoder(16, false, 3);
      const data = decode(decoder, ['1', null, null]);
      expect(data.type.typeId).toBe(Type.Int);
      expect(data.type).toMatchObject({ bitWidth: 16, isSigned: false });
      expect(data.nullCount).toBe(2);
      expect(decoder.nullCount).toBe(2);
    });

    it('refuses values out of range and anything but plain digits', () => {
      expectRejected(() => new SmallIntDecoder(8, true, 1), '128', /'128' is not an integer from -128 to 127/);
      expectRejected(() => new SmallIntDecoder(8, false, 1), '-1', /'-1' is not an integer from 0 to 255/);
      expectRejected(() => new SmallIntDecoder(32, false, 1), '4294967296', /from 0 to 4294967295/);
      expectRejected(() => new SmallIntDecoder(32, true, 1), '-2147483649', /from -2147483648 to 2147483647/);
      for (const bad of ['', '-', '1.5', '+1', ' 1', '1e3', 'abc', '0x10']) {
        expectRejected(() => new SmallIntDecoder(32, true, 1), bad, /is not an integer/);
      }
    });
  });

  describe('BigIntDecoder', () => {
    it('reads int64 exactly over its whole range, through doubles and through BigInt', () => {
      const values = ['-9223372036854775808', '9223372036854775807', '123456789012345', '-999999999999999', '1234567890123456', '-4294967296', '-1', '0', null];
      expect(cells(decode(new BigIntDecoder(true, values.length), values))).toEqual([
        -9223372036854775808n,
        9223372036854775807n,
        123456789012345n,
        -999999999999999n,
        1234567890123456n,
        -4294967296n,
        -1n,
        0n,
        null,
      ]);
    });

    it('reads uint64 up to 18446744073709551615', () => {
      const values = ['18446744073709551615', '9223372036854775808', '4294967296', '0'];
      const data = decode(new BigIntDecoder(false, values.length), values);
      expect(data.type).toMatchObject({ bitWidth: 64, isSigned: false });
      expect(cells(data)).toEqual([18446744073709551615n, 9223372036854775808n, 4294967296n, 0n]);
    });

    it('refuses values out of range and malformed digits', () => {
      expectRejected(() => new BigIntDecoder(true, 1), '9223372036854775808', /out of range -9223372036854775808\.\.9223372036854775807/);
      expectRejected(() => new BigIntDecoder(true, 1), '-9223372036854775809', /out of range/);
      expectRejected(() => new BigIntDecoder(false, 1), '18446744073709551616', /out of range 0\.\.18446744073709551615/);
      expectRejected(() => new BigIntDecoder(false, 1), '-1', /out of range/);
      for (const bad of ['', '-', '12a', '1.0', '1e5', ' 7', '+7', '12345678901234567x']) {
        expectRejected(() => new BigIntDecoder(true, 1), bad, /is not an integer/);
      }
    });
  });

  describe('BitDecoder', () => {
    it('reads big-endian bytes as an unsigned 64-bit integer', () => {
      const values = [
        Buffer.from([0x01]),
        Buffer.from([0x01, 0x00]),
        Buffer.from([0x12, 0x34, 0x56, 0x78, 0x9a]),
        Buffer.from([0x80, 0, 0, 0, 0, 0, 0, 0]),
        Buffer.alloc(8, 0xff),
        Buffer.alloc(0),
        null,
      ];
      expect(cells(decode(new BitDecoder(values.length), values))).toEqual([1n, 256n, 0x123456789an, 2n ** 63n, 2n ** 64n - 1n, 0n, null]);
    });

    it('refuses more than 8 bytes', () => {
      expectRejected(() => new BitDecoder(1), Buffer.alloc(9, 1), /a BIT value of 9 bytes does not fit 64 bits/);
    });
  });

  describe('DecimalDecoder', () => {
    it('reads DECIMAL(12,2) as exact scaled integers, negative ones and zeros too', () => {
      const values = ['-0.05', '0.05', '0.00', '-0.00', '-12345.67', '9999999999.99', '-9999999999.99', '1.5', '12', '1.230', null];
      const data = decode(new DecimalDecoder(12, 2, values.length), values);
      expect(data.type).toMatchObject({ precision: 12, scale: 2, bitWidth: 128 });
      expect(scaled(data)).toEqual([-5n, 5n, 0n, 0n, -1234567n, 999999999999n, -999999999999n, 150n, 1200n, 123n, null]);
    });

    it('reads values over 15 digits and values whose scaled integer passes 2^53 exactly', () => {
      const values = ['12345678901234.56', '-12345678901234.56', '99999999999'];
      expect(scaled(decode(new DecimalDecoder(20, 2, 3), values.slice(0, 2)))).toEqual([1234567890123456n, -1234567890123456n]);
      // 11 digits, but 99999999999 * 10^5 is over 2^53.
      expect(scaled(decode(new DecimalDecoder(20, 5, 1), values.slice(2)))).toEqual([9999999999900000n]);
    });

    it('reads DECIMAL(65,30) as decimal256 with every digit', () => {
      const integer = '12345678901234567890123456789012345';
      const fraction = '123456789012345678901234567890';
      const values = [`${integer}.${fraction}`, `-${integer}.${fraction}`, '0.000000000000000000000000000001', '-1', `${'9'.repeat(35)}.${'9'.repeat(30)}`];
      const data = decode(new DecimalDecoder(65, 30, values.length), values);
      expect(data.type).toMatchObject({ precision: 65, scale: 30, bitWidth: 256 });
      expect(scaled(data)).toEqual([BigInt(integer + fraction), -BigInt(integer + fraction), 1n, -(10n ** 30n), 10n ** 65n - 1n]);
    });

    it('refuses too many digits on either side of the point and text that is no number', () => {
      expectRejected(() => new DecimalDecoder(12, 2, 1), '12345678901.00', /more than 10 digits before the point/);
      expectRejected(() => new DecimalDecoder(12, 2, 1), '1.234', /more than 2 decimal places/);
      expectRejected(() => new DecimalDecoder(65, 30, 1), `1${'0'.repeat(35)}`, /more than 35 digits before the point/);
      for (const bad of ['', '-', '.', 'abc', '1.2.3', '1e5', '1,5', '--1']) {
        expectRejected(() => new DecimalDecoder(12, 2, 1), bad, /is not a decimal number/);
      }
    });
  });

  describe('FloatDecoder', () => {
    it('reads doubles exactly as Number() does, and FLOAT into float32', () => {
      const values = ['3.141592653589793', '-1.5e-300', '1.7976931348623157e308', '0', '-0.1', null];
      expect(cells(decode(new FloatDecoder(64, values.length), values))).toEqual([3.141592653589793, -1.5e-300, 1.7976931348623157e308, 0, -0.1, null]);
      expect(cells(decode(new FloatDecoder(32, 2), ['0.1', '-2.5']))).toEqual([Math.fround(0.1), -2.5]);
    });

    it('refuses text that is no number', () => {
      expectRejected(() => new FloatDecoder(64, 1), 'abc', /'abc' is not a number/);
      expectRejected(() => new FloatDecoder(64, 1), '1.2.3', /is not a number/);
    });
  });

  describe('DateDecoder', () => {
    it('reads dates as days since 1970, across leap rules and the whole range', () => {
      const values = ['1970-01-01', '1969-12-31', '2024-02-29', '2000-02-29', '1900-02-28', '0001-01-01', '9999-12-31', null];
      const { warnings, counted } = recorder();
      const data = decode(new DateDecoder(values.length, warnings), values);
      expect(data.type.typeId).toBe(Type.Date);
      expect(cells(data)).toEqual([0, -1, Date.UTC(2024, 1, 29) / DAY_MS, 11016, -25509, -719162, 2932896, null]);
      expect(counted).toEqual([]);
    });

    it('makes zero dates NULL and counts each', () => {
      const { warnings, counted } = recorder();
      const data = decode(new DateDecoder(4, warnings), ['0000-00-00', '2024-00-10', '2024-01-05', '2024-01-00']);
      expect(cells(data)).toEqual([null, null, Date.UTC(2024, 0, 5) / DAY_MS, null]);
      expect(data.nullCount).toBe(3);
      expect(counted).toEqual([ZERO_DATES, ZERO_DATES, ZERO_DATES]);
    });

    it('refuses dates that do not exist and text that is not YYYY-MM-DD', () => {
      const make = () => new DateDecoder(1, recorder().warnings);
      for (const bad of ['2023-02-29', '1900-02-29', '2024-04-31', '2024-13-01']) expectRejected(make, bad, /is not a valid date/);
      for (const bad of ['2024-1-01', '2024/01/01', '20240101xx', '2024-01-011', 'abcd-ef-gh', '']) expectRejected(make, bad, /is not a date \(YYYY-MM-DD\)/);
    });
  });

  describe('TimestampDecoder', () => {
    it('reads DATETIME with 0 to 6 fraction digits as microseconds', () => {
      const base = micros(2024, 3, 5, 12, 34, 56);
      const values = ['2024-03-05 12:34:56', '2024-03-05 12:34:56.1', '2024-03-05 12:34:56.12', '2024-03-05 12:34:56.123', '2024-03-05 12:34:56.1234', '2024-03-05 12:34:56.12345', '2024-03-05 12:34:56.123456', '2024-03-05 12:34:56.000001', null];
      const { warnings } = recorder();
      const data = decode(new TimestampDecoder(null, values.length, warnings), values);
      expect((data.type as TimestampMicrosecond).timezone).toBeNull();
      expect(cells(data)).toEqual([base, base + 100000n, base + 120000n, base + 123000n, base + 123400n, base + 123450n, base + 123456n, base + 1n, null]);
    });

    it('reads times before 1970 and beyond 2^53 microseconds (after 2255) exactly', () => {
      const values = ['1969-12-31 23:59:59.999999', '1000-01-01 00:00:00', '2255-06-05 23:47:34.740991', '2300-06-15 08:30:00.000001', '9999-12-31 23:59:59.999999'];
      const { warnings } = recorder();
      const data = decode(new TimestampDecoder('UTC', values.length, warnings), values);
      expect((data.type as TimestampMicrosecond).timezone).toBe('UTC');
      expect(cells(data)).toEqual([-1n, micros(1000, 1, 1), 2n ** 53n - 1n, micros(2300, 6, 15, 8, 30, 0, 1n), 253402300799999999n]);
    });

    it('makes datetimes on zero dates NULL and counts each', () => {
      const { warnings, counted } = recorder();
      const data = decode(new TimestampDecoder(null, 3, warnings), ['0000-00-00 00:00:00', '2024-05-06 07:08:09', '2024-01-00 10:00:00.5']);
      expect(cells(data)).toEqual([null, micros(2024, 5, 6, 7, 8, 9), null]);
      expect(counted).toEqual([ZERO_DATES, ZERO_DATES]);
    });

    it('refuses malformed datetimes', () => {
      const make = () => new TimestampDecoder(null, 1, recorder().warnings);
      const bad = [
        '2024-03-05T12:34:56',
        '2024-03-05 24:00:00',
        '2024-03-05 12:60:00',
        '2024-03-05 12:34:60',
        '2024-03-05 12:34:56.',
        '2024-03-05 12:34:56.1234567',
        '2024-03-05 12:34:56,5',
        '2024-03-05 12:34',
        '2024-03-05 12-34-56',
        '2024-03-05 12:34:5x',
      ];
      for (const value of bad) expectRejected(make, value, /is not a date and time/);
      expectRejected(make, '2024-02-30 00:00:00', /is not a valid date/);
    });
  });

  describe('TimeDecoder', () => {
    it('reads TIME as a signed duration in microseconds, over 24 hours too', () => {
      const values = ['-838:59:59.000000', '838:59:59', '100:00:00.5', '00:00:00', '-00:00:00.000001', '1:02:03', '12:34:56.789', '-12:00:00', null];
      const data = decode(new TimeDecoder(values.length), values);
      expect(data.type.typeId).toBe(Type.Duration);
      expect(cells(data)).toEqual([-3020399000000n, 3020399000000n, 360000500000n, 0n, -1n, 3723000000n, 45296789000n, -43200000000n, null]);
    });

    it('refuses malformed spans', () => {
      const make = () => new TimeDecoder(1);
      for (const bad of ['12:34', '12:60:00', '12:00:60', ':12:00', '12345:00:00', '12:34:56.1234567', '12:34:56.', 'ab:cd:ef', '12-34-56', '1:2:3', '']) {
        expectRejected(make, bad, /is not a time span/);
      }
    });
  });

  describe('BytesDecoder', () => {
    it('keeps text as UTF-8 bytes: empty, 4-byte emoji, over 512 bytes, NULLs', () => {
      const long = 'ü'.repeat(300); // 600 bytes: copied with Buffer#copy
      const values = ['hello', '', 'a😀b', null, long, '\\ and \t'];
      const data = decode(new BytesDecoder('text', values.length), values);
      expect(data.type.typeId).toBe(Type.Utf8);
      expect(makeVector(data).toArray()).toEqual(['hello', '', 'a😀b', null, long, '\\ and \t']);
    });

    it('keeps binary bytes as they came, NUL and backslash included', () => {
      const values = [Buffer.from([0x00, 0x5c, 0xff, 0x0a, 0x00]), Buffer.alloc(0), null, Buffer.alloc(700, 0x5c)];
      const vector = makeVector(decode(new BytesDecoder('binary', values.length), values));
      expect(vector.type.typeId).toBe(Type.Binary);
      expect(vector.toArray().map((v: Uint8Array | null) => (v === null ? null : Buffer.from(v)))).toEqual(values);
    });

    it('grows past its first buffer and is reused after reset', () => {
      const decoder = new BytesDecoder('text', 3);
      const big = 'x'.repeat(3000);
      expect(makeVector(decode(decoder, ['a', big, 'z'])).toArray()).toEqual(['a', big, 'z']);
      decoder.reset();
      const data = decode(decoder, [null, 'second page']);
      expect(data.nullCount).toBe(1);
      expect(makeVector(data).toArray()).toEqual([null, 'second page']);
    });
  });
});

// ---- PageBuilder: whole row packets ----

const WHERE = 'shop.orders';

function column(name: string, columnType: string, precision: number | null = null, scale: number | null = null): ColumnPlan {
  const dataType = /^[a-z]+/.exec(columnType)![0];
  return planColumn({ name, dataType, columnType, precision, scale, isJson: false }, WHERE);
}

/** A value as the text protocol's length-coded string; `form` forces a longer length prefix than needed. */
function lengthCoded(value: Value, form?: 0xfc | 0xfd | 0xfe): Buffer {
  if (value === null) return Buffer.from([0xfb]);
  const bytes = bytesOf(value);
  const n = bytes.length;
  const prefix = form ?? (n < 0xfb ? null : n < 0x10000 ? 0xfc : n < 0x1000000 ? 0xfd : 0xfe);
  if (prefix === null) return Buffer.concat([Buffer.from([n]), bytes]);
  const width = prefix === 0xfc ? 2 : prefix === 0xfd ? 3 : 8;
  const header = Buffer.alloc(1 + width);
  header[0] = prefix;
  header.writeUIntLE(n, 1, Math.min(width, 6));
  return Buffer.concat([header, bytes]);
}

/** Feeds one row packet, placed inside a larger buffer as mysql2 hands it over. */
function feed(builder: PageBuilder, packet: Buffer | readonly Value[]): void {
  const bytes = Buffer.isBuffer(packet) ? packet : Buffer.concat(packet.map((value) => lengthCoded(value)));
  const buf = Buffer.concat([Buffer.from([0x03, 0x31, 0x32, 0x33]), bytes, Buffer.from([0x02, 0x39, 0x39])]);
  builder.row(buf, 4, 4 + bytes.length);
}

function pool(plans: ColumnPlan[], keyIndex = 0, keyKind: KeyKind = 'integer', capacity = 8): { pool: PagePool; counts: Map<string, number> } {
  const counts = new Map<string, number>();
  return { pool: new PagePool(plans, keyIndex, keyKind, capacity, counts), counts };
}

function dataOf(table: Table, name: string): Data {
  const child = table.getChild(name);
  if (!child) throw new Error(`no column ${name}`);
  return child.data[0];
}

describe('PageBuilder', () => {
  it('builds a page of numbers with NULLs, extreme values and exact decimals', () => {
    const plans = [
      column('id', 'bigint(20)'),
      column('u', 'bigint(20) unsigned'),
      column('small', 'tinyint(3) unsigned'),
      column('amount', 'decimal(12,2)', 12, 2),
      column('big', 'decimal(65,30)', 65, 30),
      column('score', 'double'),
      column('flags', 'bit(8)'),
    ];
    const { pool: pages } = pool(plans);
    const builder = pages.acquire();
    const bigText = `-${'9'.repeat(35)}.${'0'.repeat(29)}1`;
    feed(builder, ['-9223372036854775808', '18446744073709551615', '255', '-0.05', bigText, '2.5', Buffer.from([0x81])]);
    feed(builder, ['7', null, null, null, null, null, null]);
    feed(builder, ['9223372036854775807', '0', '0', '-12345.67', '0.000000000000000000000000000001', '-1e-300', Buffer.from([0x00])]);
    expect(builder.failure).toBeNull();
    expect(builder.rows).toBe(3);

    const table = builder.finish();
    expect(table.numRows).toBe(3);
    expect(table.schema.fields.map((f) => f.name)).toEqual(['id', 'u', 'small', 'amount', 'big', 'score', 'flags']);
    expect(cells(dataOf(table, 'id'))).toEqual([-9223372036854775808n, 7n, 9223372036854775807n]);
    expect(cells(dataOf(table, 'u'))).toEqual([18446744073709551615n, null, 0n]);
    expect(cells(dataOf(table, 'small'))).toEqual([255, null, 0]);
    expect(scaled(dataOf(table, 'amount'))).toEqual([-5n, null, -1234567n]);
    expect(scaled(dataOf(table, 'big'))).toEqual([-(10n ** 65n - 10n ** 30n + 1n), null, 1n]);
    expect(cells(dataOf(table, 'score'))).toEqual([2.5, null, -1e-300]);
    expect(cells(dataOf(table, 'flags'))).toEqual([0x81n, null, 0n]);
    expect(builder.lastKeyOffset()).toBe(9223372036854775807n);
  });

  it('reads long length prefixes (0xfc, 0xfd, 0xfe), binary bytes and 4-byte UTF-8', () => {
    const plans = [column('id', 'int(11)'), column('name', 'varchar(1000)'), column('data', 'longblob')];
    const { pool: pages } = pool(plans);
    const builder = pages.acquire();
    const text300 = 'é'.repeat(100) + 'a'.repeat(100); // 300 bytes: prefix 0xfc
    const text700 = '😀'.repeat(175); // 700 bytes
    const binary = Buffer.from([0x00, 0x5c, 0x27, 0x0a, 0xff, 0x00]);
    const blob70k = Buffer.alloc(70_000, 0x5c); // prefix 0xfd
    feed(builder, ['1', text300, binary]);
    feed(builder, ['2', text700, blob70k]);
    feed(builder, Buffer.concat([lengthCoded('3'), lengthCoded('short, 8-byte prefix', 0xfe), lengthCoded(Buffer.from([0x00]), 0xfd)]));
    feed(builder, ['4', '', null]);
    expect(lengthCoded(text300).subarray(0, 3)).toEqual(Buffer.from([0xfc, 0x2c, 0x01]));
    expect(lengthCoded(blob70k)[0]).toBe(0xfd);
    expect(builder.failure).toBeNull();

    const table = builder.finish();
    expect(table.getChild('id')!.toArray()).toEqual(Int32Array.from([1, 2, 3, 4]));
    expect(table.getChild('name')!.toArray()).toEqual([text300, text700, 'short, 8-byte prefix', '']);
    const blobs = table.getChild('data')!.toArray().map((v: Uint8Array | null) => (v === null ? null : Buffer.from(v)));
    expect(blobs).toEqual([binary, blob70k, Buffer.from([0x00]), null]);
    expect(builder.lastKeyOffset()).toBe(4n);
  });

  it('reads dates, datetimes, timestamps and times, counting zero dates', () => {
    const plans = [column('id', 'int(11)'), column('day', 'date'), column('created', 'datetime(6)'), column('seen', 'timestamp(3)'), column('span', 'time(6)')];
    const { pool: pages, counts } = pool(plans);
    const builder = pages.acquire();
    feed(builder, ['1', '2024-02-29', '2300-01-01 00:00:00.000001', '1970-01-01 00:00:00.123', '-838:59:59.000000']);
    feed(builder, ['2', '0000-00-00', '0000-00-00 00:00:00', '2024-01-00 00:00:00', '100:00:00.5']);
    feed(builder, ['3', null, '1969-12-31 23:59:59.999999', null, null]);
    expect(builder.failure).toBeNull();

    const table = builder.finish();
    expect((table.schema.fields[2].type as TimestampMicrosecond).timezone).toBeNull();
    expect((table.schema.fields[3].type as TimestampMicrosecond).timezone).toBe('UTC');
    expect(cells(dataOf(table, 'day'))).toEqual([Date.UTC(2024, 1, 29) / DAY_MS, null, null]);
    expect(cells(dataOf(table, 'created'))).toEqual([micros(2300, 1, 1, 0, 0, 0, 1n), null, -1n]);
    expect(cells(dataOf(table, 'seen'))).toEqual([123000n, null, null]);
    expect(cells(dataOf(table, 'span'))).toEqual([-3020399000000n, 360000500000n, null]);
    expect(counts.get(ZERO_DATES)).toBe(3);
  });

  it('gives the last key as exact text for text keys, also past 64 bytes', () => {
    const { pool: pages } = pool([column('code', 'varchar(200)'), column('n', 'int(11)')], 0, 'text');
    const builder = pages.acquire();
    expect(builder.lastKeyOffset()).toBeUndefined();
    feed(builder, ['ключ😀', '1']);
    expect(builder.lastKeyOffset()).toBe('ключ😀');
    const long = `${'k'.repeat(90)}😀`;
    feed(builder, [long, '2']);
    expect(builder.lastKeyOffset()).toBe(long);
  });

  it('fails the page on a NULL key with FL_SOURCE_DATA and ignores later rows', () => {
    const { pool: pages } = pool([column('n', 'int(11)'), column('id', 'bigint(20)')], 1);
    const builder = pages.acquire();
    feed(builder, ['1', '10']);
    feed(builder, ['2', null]);
    feed(builder, ['3', '30']);
    expect(builder.failure).toBeInstanceOf(FastlaneError);
    expect((builder.failure as FastlaneError).code).toBe('FL_SOURCE_DATA');
    expect(builder.failure!.message).toMatch(/the key column 'id' holds NULL/);
    expect(builder.rows).toBe(1);
    expect(builder.lastKeyOffset()).toBe(10n);
  });

  it('names the column of a value its type cannot hold in the first row', () => {
    const plans = [column('id', 'int(11)'), column('amount', 'decimal(12,2)', 12, 2), column('day', 'date')];
    const { pool: pages } = pool(plans);
    const first = pages.acquire();
    feed(first, ['1', '1.234', '2024-01-01']);
    expect(first.failure).toBeInstanceOf(FastlaneError);
    expect((first.failure as FastlaneError).code).toBe('FL_SOURCE_DATA');
    expect(first.failure!.message).toBe("column 'amount' of the first row of the page: '1.234' has more than 2 decimal places");
    expect(first.failure!.cause).toBeInstanceOf(ValueError);
  });

  it('names the key of the last row read before a value its type cannot hold', () => {
    const plans = [column('id', 'int(11)'), column('amount', 'decimal(12,2)', 12, 2), column('day', 'date')];
    const later = pool(plans).pool.acquire();
    feed(later, ['7', '1.00', '2024-01-01']);
    feed(later, ['8', '2.00', '2023-02-29']);
    expect(later.failure!.message).toBe("column 'day' of the row after key 7: '2023-02-29' is not a valid date");
    expect(later.rows).toBe(1);
    expect(later.lastKeyOffset()).toBe(7n);
  });

  it('refuses a value that runs past the packet and an invalid length byte', () => {
    const { pool: pages } = pool([column('id', 'int(11)'), column('name', 'varchar(10)')]);
    const overrun = pages.acquire();
    feed(overrun, Buffer.concat([lengthCoded('1'), Buffer.from([0x0a, 0x61, 0x62, 0x63])]));
    expect(overrun.failure!.message).toMatch(/column 'name' of the first row of the page: the row packet ends inside a value/);
    const invalid = pages.acquire();
    feed(invalid, Buffer.concat([lengthCoded('1'), Buffer.from([0xff, 0x61])]));
    expect(invalid.failure!.message).toMatch(/invalid length byte 0xff/);
    expect(invalid.rows).toBe(0);
  });

  it('refuses a row packet that ends before its last column', () => {
    const plans = [column('id', 'int(11)'), column('name', 'varchar(10)'), column('n', 'int(11)')];
    const packet = Buffer.concat([lengthCoded('1'), lengthCoded('abc')]);
    // Followed by the next packet's header (length 256: 00 01 00, sequence 05), and at the very end of its buffer.
    for (const buf of [Buffer.concat([packet, Buffer.from([0x00, 0x01, 0x00, 0x05])]), packet]) {
      const builder = pool(plans).pool.acquire();
      builder.row(buf, 0, packet.length);
      expect(builder.rows).toBe(0);
      expect(builder.failure).toBeInstanceOf(FastlaneError);
      expect(builder.failure!.message).toMatch(/^column 'n' of the first row of the page: /);
    }
  });

  it('hands a released builder out again, emptied, with its storage overwritten', () => {
    const { pool: pages } = pool([column('id', 'int(11)'), column('name', 'text')]);
    const builder = pages.acquire();
    feed(builder, ['1', 'first page, long value']);
    feed(builder, ['2', null]);
    expect(builder.finish().getChild('name')!.toArray()).toEqual(['first page, long value', null]);
    pages.release(builder);

    const again = pages.acquire();
    expect(again).toBe(builder);
    expect(again.rows).toBe(0);
    expect(again.lastKeyOffset()).toBeUndefined();
    feed(again, ['3', 'x']);
    const table = again.finish();
    expect(table.numRows).toBe(1);
    expect(table.getChild('id')!.toArray()).toEqual(Int32Array.from([3]));
    expect(table.getChild('name')!.toArray()).toEqual(['x']);
    expect(table.getChild('name')!.nullCount).toBe(0);
    expect(pages.acquire()).not.toBe(builder);
  });
});

import { describe, expect, it } from '@jest/globals';
import {
  DateDay,
  DateMillisecond,
  Decimal,
  Duration,
  Float64,
  Int16,
  Int32,
  Int64,
  Int8,
  TimeUnit,
  TimestampMicrosecond,
  TimestampSecond,
  Uint16,
  Uint32,
  Uint64,
  Uint8,
  Utf8,
  makeData,
  vectorFromArray,
  type Data,
} from 'apache-arrow';
import { ByteSink } from '../../src/connectors/mysql/byte-sink.js';
import { cellWriter } from '../../src/connectors/mysql/cell-writers.js';
import { fastCell } from '../../src/connectors/mysql/fast-cells.js';

const MICROS_PER_DAY = 86_400_000_000n;
const TWO_53 = 2n ** 53n;

/** The fast writer's text of row i, or false when it declines (having written nothing). */
function fastText(data: Data, i: number): string | false {
  const write = fastCell(data);
  if (!write) throw new Error(`no fast writer for ${String(data.type)}`);
  const sink = new ByteSink();
  if (write(sink, i)) return sink.take().toString('latin1');
  if (sink.length !== 0) throw new Error(`the fast writer declined row ${i} after writing ${sink.length} bytes`);
  return false;
}

/** What LOAD DATA gets for row i: the fast writer, or the general one where it declines. */
function cellText(data: Data, i: number): string {
  const sink = new ByteSink();
  cellWriter(data, 'c')(sink, i);
  return sink.take().toString('latin1');
}

function rows(data: Data): number[] {
  return Array.from({ length: data.length }, (_, i) => i);
}

/** Deterministic pseudo-random integers in [min, max] (a 64-bit LCG). */
function randomBigInts(count: number, min: bigint, max: bigint, seed = 12345n): bigint[] {
  const out: bigint[] = [];
  let state = seed;
  for (let n = 0; n < count; n++) {
    state = BigInt.asUintN(64, state * 6364136223846793005n + 1442695040888963407n);
    out.push(min + (state % (max - min + 1n)));
  }
  return out;
}

const int64 = (values: bigint[]) => makeData({ type: new Int64(), length: values.length, data: BigInt64Array.from(values) });
const uint64 = (values: bigint[]) => makeData({ type: new Uint64(), length: values.length, data: BigUint64Array.from(values) });
const dates = (days: number[]) => makeData({ type: new DateDay(), length: days.length, data: Int32Array.from(days) });
const timestamps = (micros: bigint[]) => makeData({ type: new TimestampMicrosecond(), length: micros.length, data: BigInt64Array.from(micros) });
const durations = (micros: bigint[]) => makeData({ type: new Duration(TimeUnit.MICROSECOND), length: micros.length, data: BigInt64Array.from(micros) });

/** Decimals as Arrow stores them: little-endian 32-bit words of two's complement, bits/32 per value. */
function decimals(values: bigint[], precision: number, scale: number, bits: 128 | 256 = 128): Data {
  const stride = bits / 32;
  const words = new Uint32Array(values.length * stride);
  values.forEach((value, i) => {
    let rest = BigInt.asUintN(bits, value);
    for (let w = 0; w < stride; w++, rest >>= 32n) words[i * stride + w] = Number(rest & 0xffffffffn);
  });
  return makeData({ type: new Decimal(scale, precision, bits), length: values.length, data: words });
}

// Independent expectations of the LOAD DATA text.
const pad = (n: bigint | number, width: number) => String(n).padStart(width, '0');

function decimalText(value: bigint, scale: number): string {
  const digits = pad(value < 0n ? -value : value, scale + 1);
  const text = scale === 0 ? digits : `${digits.slice(0, -scale)}.${digits.slice(-scale)}`;
  return value < 0n ? `-${text}` : text;
}

/** YYYY-MM-DD for years 0..9999. */
function dateText(days: number): string {
  return new Date(days * 86_400_000).toISOString().slice(0, 10);
}

function clockText(micros: bigint, hourWidth: number): string {
  const seconds = micros / 1_000_000n;
  return `${pad(seconds / 3600n, hourWidth)}:${pad((seconds / 60n) % 60n, 2)}:${pad(seconds % 60n, 2)}.${pad(micros % 1_000_000n, 6)}`;
}

function timestampText(micros: bigint): string {
  let rest = micros % MICROS_PER_DAY;
  if (rest < 0n) rest += MICROS_PER_DAY;
  return `${dateText(Number((micros - rest) / MICROS_PER_DAY))} ${clockText(rest, 2)}`;
}

function durationText(micros: bigint): string {
  return micros < 0n ? `-${clockText(-micros, 1)}` : clockText(micros, 1);
}

describe('fast LOAD DATA cells', () => {
  describe('integers', () => {
    it('writes 8- to 32-bit integers at their limits', () => {
      const cases: [Data, number[]][] = [
        [makeData({ type: new Int8(), data: Int8Array.from([-128, 127, 0, -1]) }), [-128, 127, 0, -1]],
        [makeData({ type: new Uint8(), data: Uint8Array.from([0, 255]) }), [0, 255]],
        [makeData({ type: new Int16(), data: Int16Array.from([-32768, 32767]) }), [-32768, 32767]],
        [makeData({ type: new Uint16(), data: Uint16Array.from([65535, 10]) }), [65535, 10]],
        [makeData({ type: new Int32(), data: Int32Array.from([-2147483648, 2147483647, 1000000]) }), [-2147483648, 2147483647, 1000000]],
        [makeData({ type: new Uint32(), data: Uint32Array.from([4294967295, 0]) }), [4294967295, 0]],
      ];
      for (const [data, values] of cases) {
        expect(rows(data).map((i) => fastText(data, i))).toEqual(values.map(String));
        expect(rows(data).map((i) => cellText(data, i))).toEqual(values.map(String));
      }
    });

    it('writes 64-bit integers within 2^53 and declines the rest, which cellWriter still writes exactly', () => {
      const signed = [0n, -1n, 42n, -(2n ** 32n), 2n ** 32n - 1n, 10n ** 15n - 1n, -(2n ** 52n) - 3n, -TWO_53];
      const beyond = [TWO_53, -TWO_53 - 1n, 2n ** 63n - 1n, -(2n ** 63n)];
      const data = int64([...signed, ...beyond]);
      expect(rows(data).map((i) => fastText(data, i))).toEqual([...signed.map(String), false, false, false, false]);
      expect(rows(data).map((i) => cellText(data, i))).toEqual([...signed, ...beyond].map(String));
      expect(cellText(data, 10)).toBe('9223372036854775807');
      expect(cellText(data, 11)).toBe('-9223372036854775808');

      const unsigned = uint64([0n, 2n ** 52n + 1n, TWO_53, 2n ** 63n, 2n ** 64n - 1n]);
      expect(rows(unsigned).map((i) => fastText(unsigned, i))).toEqual(['0', '4503599627370497', false, false, false]);
      expect(rows(unsigned).map((i) => cellText(unsigned, i))).toEqual(['0', '4503599627370497', '9007199254740992', '9223372036854775808', '18446744073709551615']);
    });

    it('writes the integers just below 2^53 exactly (int64, uint64, DECIMAL scale 0)', () => {
      const near = Array.from({ length: 60 }, (_, k) => TWO_53 - 1n - BigInt(k));
      const columns: [string, Data][] = [
        ['int64', int64(near)],
        ['negative int64', int64(near.map((v) => -v))],
        ['uint64', uint64(near)],
        ['decimal', decimals(near, 20, 0)],
      ];
      for (const [name, data] of columns) {
        const written = rows(data).map((i) => `${name} ${fastText(data, i)}`);
        const expected = rows(data).map((i) => `${name} ${name === 'negative int64' ? -near[i] : near[i]}`);
        expect(written).toEqual(expected);
      }
    });

    it('matches String(value) for random 64-bit values on both sides of 2^53', () => {
      const values = [...randomBigInts(500, -(TWO_53 - 1n), TWO_53 - 1n), ...randomBigInts(100, -(2n ** 63n), 2n ** 63n - 1n, 99n)];
      const data = int64(values);
      rows(data).forEach((i) => {
        const fast = fastText(data, i);
        expect(fast).toBe(values[i] >= -TWO_53 && values[i] < TWO_53 ? String(values[i]) : false);
        expect(cellText(data, i)).toBe(String(values[i]));
      });
    });

    it('writes a column of mixed fast and declined values back to back into one sink', () => {
      const data = int64([1n, 2n ** 63n - 1n, -5n, -(2n ** 63n), 7n]);
      const write = cellWriter(data, 'n');
      const sink = new ByteSink();
      rows(data).forEach((i) => {
        if (i > 0) sink.byte(0x09);
        write(sink, i);
      });
      expect(sink.take().toString('latin1')).toBe('1\t9223372036854775807\t-5\t-9223372036854775808\t7');
    });
  });

  describe('decimals', () => {
    it('writes exact scaled text: negatives, fractions under 1, zero', () => {
      const values = [-1234567n, 5n, -5n, 0n, 100n, -100n, 99n, 123456789012n];
      const data = decimals(values, 12, 2);
      expect(rows(data).map((i) => fastText(data, i))).toEqual(['-12345.67', '0.05', '-0.05', '0.00', '1.00', '-1.00', '0.99', '1234567890.12']);
      expect(rows(data).map((i) => cellText(data, i))).toEqual(values.map((v) => decimalText(v, 2)));
    });

    it('writes scale 0 and scale 15, and leaves scale 16 to the general writer', () => {
      const whole = decimals([-42n, 0n, 7n], 10, 0);
      expect(rows(whole).map((i) => fastText(whole, i))).toEqual(['-42', '0', '7']);
      const fine = decimals([1n, -1n, 10n ** 15n + 1n], 20, 15);
      expect(rows(fine).map((i) => fastText(fine, i))).toEqual(['0.000000000000001', '-0.000000000000001', '1.000000000000001']);
      const finer = decimals([1n, -123n], 20, 16);
      expect(fastCell(finer)).toBeNull();
      expect(rows(finer).map((i) => cellText(finer, i))).toEqual(['0.0000000000000001', '-0.0000000000000123']);
    });

    it('declines values beyond 2^53 (30-digit decimal128, decimal256), which cellWriter writes exactly', () => {
      const thirty = 123456789012345678901234567890n;
      const data = decimals([TWO_53 - 1n, -TWO_53, TWO_53, -TWO_53 - 1n, thirty, -thirty, 2n ** 64n, -(2n ** 64n) + 5n], 38, 2);
      expect(rows(data).map((i) => fastText(data, i))).toEqual(['90071992547409.91', '-90071992547409.92', false, false, false, false, false, false]);
      expect(rows(data).map((i) => cellText(data, i))).toEqual([
        '90071992547409.91',
        '-90071992547409.92',
        '90071992547409.92',
        '-90071992547409.93',
        '1234567890123456789012345678.90',
        '-1234567890123456789012345678.90',
        '184467440737095516.16',
        '-184467440737095516.11',
      ]);

      const wide = decimals([-5n, 10n ** 60n, -(2n ** 200n)], 65, 2, 256);
      expect(rows(wide).map((i) => fastText(wide, i))).toEqual(['-0.05', false, false]);
      expect(cellText(wide, 1)).toBe(`1${'0'.repeat(58)}.00`);
      expect(cellText(wide, 2)).toBe(decimalText(-(2n ** 200n), 2));

      // DECIMAL(65,30): a scale over 15 has no fast writer at all.
      const mysqlMax = decimals([10n ** 60n, -5n], 65, 30, 256);
      expect(fastCell(mysqlMax)).toBeNull();
      expect(cellText(mysqlMax, 0)).toBe(`1${'0'.repeat(30)}.${'0'.repeat(30)}`);
      expect(cellText(mysqlMax, 1)).toBe('-0.000000000000000000000000000005');
    });

    it('matches the exact text for random values within 2^53', () => {
      for (const scale of [0, 2, 6, 15]) {
        const values = randomBigInts(300, -(TWO_53 - 1n), TWO_53 - 1n, BigInt(scale + 1));
        const data = decimals(values, 38, scale);
        rows(data).forEach((i) => expect(fastText(data, i)).toBe(decimalText(values[i], scale)));
      }
    });
  });

  describe('dates', () => {
    it('writes YYYY-MM-DD across leap rules, before 1970 and at the ends of the range', () => {
      const cases: [string, number][] = [
        ['1970-01-01', 0],
        ['1969-12-31', -1],
        ['1900-02-28', -25509],
        ['1900-03-01', -25508],
        ['2000-02-29', 11016],
        ['2024-12-31', 20088],
        ['0001-01-01', -719162],
        ['0000-12-31', -719163],
        ['9999-12-31', 2932896],
      ];
      const data = dates(cases.map(([, days]) => days));
      expect(rows(data).map((i) => fastText(data, i))).toEqual(cases.map(([text]) => text));
      expect(rows(data).map((i) => cellText(data, i))).toEqual(cases.map(([text]) => text));
    });

    it('declines years past 9999 and matches the exact text for random days', () => {
      const past = dates([2932897]);
      expect(fastText(past, 0)).toBe(false);
      expect(cellText(past, 0)).toBe('10000-01-01');
      const days = randomBigInts(2000, -719162n, 2932896n).map(Number);
      const data = dates(days);
      rows(data).forEach((i) => expect(fastText(data, i)).toBe(dateText(days[i])));
    });

    it('has no fast writer for millisecond dates', () => {
      const data = makeData({ type: new DateMillisecond(), length: 1, data: BigInt64Array.from([86_400_000n]) });
      expect(fastCell(data)).toBeNull();
      expect(cellText(data, 0)).toBe('1970-01-02');
    });
  });

  describe('timestamps', () => {
    it('writes YYYY-MM-DD HH:MM:SS.ffffff, before 1970 too', () => {
      const cases: [string, bigint][] = [
        ['1970-01-01 00:00:00.000000', 0n],
        ['1969-12-31 23:59:59.999999', -1n],
        ['1970-01-01 00:00:00.000001', 1n],
        ['2024-02-29 12:34:56.789012', BigInt(Date.UTC(2024, 1, 29, 12, 34, 56)) * 1000n + 789012n],
        ['1900-01-01 00:00:00.000000', -2208988800000000n],
        ['1969-12-31 00:00:00.000000', -MICROS_PER_DAY],
        ['2255-06-05 23:47:34.740991', TWO_53 - 1n],
        ['1684-07-28 00:12:25.259008', -TWO_53],
      ];
      const data = timestamps(cases.map(([, micros]) => micros));
      expect(rows(data).map((i) => fastText(data, i))).toEqual(cases.map(([text]) => text));
      expect(rows(data).map((i) => cellText(data, i))).toEqual(cases.map(([text]) => text));
    });

    it('declines values beyond 2^53 microseconds (year 9999 is 2.5e17), which cellWriter writes exactly', () => {
      const year9999 = 253402300799999999n; // 9999-12-31 23:59:59.999999
      const data = timestamps([TWO_53, year9999, -62135596800000000n, BigInt(Date.UTC(2300, 0, 1)) * 1000n + 1n]);
      expect(year9999 > TWO_53).toBe(true);
      expect(rows(data).map((i) => fastText(data, i))).toEqual([false, false, false, false]);
      expect(rows(data).map((i) => cellText(data, i))).toEqual(['2255-06-05 23:47:34.740992', '9999-12-31 23:59:59.999999', '0001-01-01 00:00:00.000000', '2300-01-01 00:00:00.000001']);
    });

    it('matches the exact text for random values within 2^53', () => {
      const micros = randomBigInts(2000, -TWO_53, TWO_53 - 1n);
      const data = timestamps(micros);
      rows(data).forEach((i) => {
        expect(fastText(data, i)).toBe(timestampText(micros[i]));
        expect(cellText(data, i)).toBe(timestampText(micros[i]));
      });
    });

    it('has no fast writer for other units', () => {
      const data = makeData({ type: new TimestampSecond(), length: 1, data: BigInt64Array.from([-1n]) });
      expect(fastCell(data)).toBeNull();
      expect(cellText(data, 0)).toBe('1969-12-31 23:59:59.000000');
    });
  });

  describe('durations (TIME)', () => {
    it('writes spans of 10 hours and more, negative ones too', () => {
      const hour = 3_600_000_000n;
      const cases: [string, bigint][] = [
        ['838:59:59.000000', 3020399000000n],
        ['-838:59:59.000000', -3020399000000n],
        ['100:00:00.500000', 100n * hour + 500000n],
        ['24:00:00.000000', 24n * hour],
        ['-10:00:00.000001', -(10n * hour + 1n)],
      ];
      const data = durations(cases.map(([, micros]) => micros));
      expect(rows(data).map((i) => fastText(data, i))).toEqual(cases.map(([text]) => text));
      expect(rows(data).map((i) => cellText(data, i))).toEqual(cases.map(([text]) => text));
    });

    it('writes every span as the general writer does, [-]H:MM:SS.ffffff, under 10 hours too', () => {
      const micros = [0n, -1n, 5_000_000n, 3_600_000_000n, -(9n * 3_600_000_000n + 59n * 60_000_000n), ...randomBigInts(500, -3020399000000n, 3020399000000n)];
      const data = durations(micros);
      expect(fastText(data, 0)).toBe('0:00:00.000000');
      expect(fastText(data, 1)).toBe('-0:00:00.000001');
      expect(fastText(data, 2)).toBe('0:00:05.000000');
      expect(fastText(data, 3)).toBe('1:00:00.000000');
      expect(fastText(data, 4)).toBe('-9:59:00.000000');
      rows(data).forEach((i) => expect(fastText(data, i)).toBe(durationText(micros[i])));
    });

    it('declines spans beyond 2^53 microseconds, which cellWriter writes exactly', () => {
      const data = durations([TWO_53, -(2n ** 62n)]);
      expect(fastText(data, 0)).toBe(false);
      expect(fastText(data, 1)).toBe(false);
      expect(cellText(data, 0)).toBe('2501999:47:34.740992');
      expect(cellText(data, 1)).toBe(durationText(-(2n ** 62n)));
    });
  });

  it('has no fast writer for floats and text, which cellWriter still writes', () => {
    const floats = makeData({ type: new Float64(), data: Float64Array.from([0.1, -2.5e-300]) });
    expect(fastCell(floats)).toBeNull();
    expect(cellText(floats, 0)).toBe('0.1');
    expect(cellText(floats, 1)).toBe('-2.5e-300');
    const text = vectorFromArray(['a\tb\\😀'], new Utf8()).data[0];
    expect(fastCell(text)).toBeNull();
    const sink = new ByteSink();
    cellWriter(text, 't')(sink, 0);
    expect(sink.take().toString('utf8')).toBe('a\\tb\\\\😀');
  });
});

import { Duration, TimeUnit } from 'apache-arrow';
import { FixedColumn, ValueError } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';

const TIME = /^(-)?(\d+):(\d{2}):(\d{2})(?:\.(\d{1,6}))?$/;

/** Microseconds of a signed time span written [-]H:MM:SS[.ffffff] (MySQL TIME: -838:59:59..838:59:59). */
export function parseTimeSpanMicros(text: string): bigint {
  const m = TIME.exec(text);
  if (!m || Number(m[3]) > 59 || Number(m[4]) > 59) throw new ValueError(`'${text}' is not a time span ([-]H:MM:SS[.ffffff])`);
  const seconds = BigInt(m[2]) * 3600n + BigInt(m[3]) * 60n + BigInt(m[4]);
  const micros = seconds * 1_000_000n + BigInt((m[5] ?? '').padEnd(6, '0'));
  return m[1] ? -micros : micros;
}

/** Time spans as Arrow duration in microseconds: unlike Arrow time64 they may be negative or over 24 h. */
export class DurationBuilder extends SimpleFixedBuilder<BigInt64Array> {
  constructor() {
    super(new Duration(TimeUnit.MICROSECOND), new FixedColumn((n) => new BigInt64Array(n)));
  }

  protected store(values: BigInt64Array, index: number, text: string): void {
    values[index] = parseTimeSpanMicros(text);
  }
}

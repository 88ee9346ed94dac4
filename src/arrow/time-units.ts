import { TimeUnit } from 'apache-arrow';
import { ValueError } from './builders/column-builder.js';

const MICROS_PER_UNIT: Record<number, bigint> = {
  [TimeUnit.SECOND]: 1_000_000n,
  [TimeUnit.MILLISECOND]: 1000n,
  [TimeUnit.MICROSECOND]: 1n,
};

/**
 * A raw Arrow timestamp or duration in microseconds, exactly. Fastlane keeps microseconds; a
 * nanosecond value with digits below a microsecond is refused rather than silently cut.
 */
export function toMicros(raw: bigint, unit: TimeUnit): bigint {
  if (unit !== TimeUnit.NANOSECOND) return raw * MICROS_PER_UNIT[unit];
  if (raw % 1000n !== 0n) throw new ValueError(`${raw} ns has digits below a microsecond, which Fastlane does not keep`);
  return raw / 1000n;
}

import { TimestampMicrosecond } from 'apache-arrow';
import { FixedColumn } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';
import { parseTimestampMicros } from './temporal.js';

/**
 * Timestamps in microseconds with a chosen Arrow time zone: null for wall-clock values that belong
 * to no zone (MySQL DATETIME), 'UTC' for instants (MySQL TIMESTAMP read in a UTC session).
 */
export class ZonedTimestampBuilder extends SimpleFixedBuilder<BigInt64Array> {
  constructor(timezone: string | null) {
    super(new TimestampMicrosecond(timezone), new FixedColumn((n) => new BigInt64Array(n)));
  }

  protected store(values: BigInt64Array, index: number, text: string): void {
    values[index] = parseTimestampMicros(text);
  }
}

import type { SourceBatch } from '../../stages/source.js';
import type { Page, PageShape } from './page-query.js';

/** Reads one page of a range: keys after `after`, up to `upTo` (retried by its own connection). */
export type RangeReader = (after: bigint | string, upTo: bigint) => Promise<Page>;

/** One contiguous key range: keys after `after`, up to and including `upTo`. */
interface KeyRange {
  readonly after: bigint;
  readonly upTo: bigint;
}

/** Splits [min, max] into at most `count` contiguous ranges of about equal key span. */
export function splitKeyRange(min: bigint, max: bigint, count: number): KeyRange[] {
  const span = max - min + 1n;
  const parts = BigInt(count) > span ? span : BigInt(count);
  const ranges: KeyRange[] = [];
  for (let i = 0n; i < parts; i++) {
    const low = min + (span * i) / parts;
    const high = i === parts - 1n ? max : min + (span * (i + 1n)) / parts - 1n;
    ranges.push({ after: low - 1n, upTo: high });
  }
  return ranges;
}

/**
 * Reads the ranges at once, one reader (connection) each, each one page ahead, and hands pages on as they
 * arrive. Pages of different ranges interleave, so they carry no offset: for FULL_TABLE runs only.
 */
export async function* partitionedBatches(shape: PageShape, ranges: readonly KeyRange[], readers: readonly RangeReader[]): AsyncGenerator<SourceBatch> {
  const pending = new Map<number, Promise<{ index: number; page: Page }>>();
  const request = (index: number, after: bigint | string) => {
    const range = ranges[index];
    pending.set(index, readers[index](after, range.upTo).then((page) => ({ index, page })));
  };
  ranges.forEach((range, index) => request(index, range.after));
  try {
    while (pending.size > 0) {
      const { index, page } = await Promise.race(pending.values());
      pending.delete(index);
      if (page.rows === shape.batchSize && page.lastKey !== undefined) request(index, page.lastKey as bigint);
      if (page.rows > 0) yield { table: page.table, release: page.release };
      else page.release();
    }
  } finally {
    await Promise.allSettled(pending.values());
  }
}

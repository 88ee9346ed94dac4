import type { RawRow } from './rest.js';

/** Reads the rows from `start`, at most `count` of them. */
export type PageReader = (start: number, count: number) => Promise<readonly RawRow[]>;

export interface PagedRows {
  readonly start: number;
  readonly rows: readonly RawRow[];
}

/**
 * Pages of `size` rows by start index, up to `concurrency` requested at once and handed on in
 * order. Within `knownRows` (the count the API reported) every page is requested ahead; beyond
 * it (rows added meanwhile) one at a time, until a page comes back short.
 */
export async function* orderedPages(read: PageReader, size: number, concurrency: number, knownRows: number): AsyncGenerator<PagedRows> {
  const inFlight: { start: number; rows: Promise<readonly RawRow[]> }[] = [];
  let next = 0;
  let lastWasFull = true;
  const launch = () => {
    while (inFlight.length < concurrency && (next < knownRows || (inFlight.length === 0 && lastWasFull))) {
      const rows = read(next, size);
      // A page still in flight when the reader stops must not become an unhandled rejection.
      rows.catch(() => undefined);
      inFlight.push({ start: next, rows });
      next += size;
    }
  };
  try {
    launch();
    while (inFlight.length > 0) {
      const page = inFlight.shift() as (typeof inFlight)[number];
      const rows = await page.rows;
      lastWasFull = rows.length === size;
      if (rows.length > 0) yield { start: page.start, rows };
      if (!lastWasFull) return;
      launch();
    }
  } finally {
    // Stopped early or failed: let the requests still running settle before the caller closes.
    await Promise.allSettled(inFlight.map((p) => p.rows));
  }
}

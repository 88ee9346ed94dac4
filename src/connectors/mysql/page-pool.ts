import type { DecodeWarnings } from './wire/decoder.js';
import { PageBuilder, type KeyKind } from './page-builder.js';
import type { ColumnPlan } from './source-types.js';

/**
 * Page builders of one table read, handed out for a page and taken back once the page's table
 * has been consumed: in a run, at most the page being read, the prefetched one and those waiting
 * to be serialized exist at once, and their memory is reused instead of allocated per page.
 */
export class PagePool {
  private readonly free: PageBuilder[] = [];
  private readonly warnings: DecodeWarnings;

  constructor(private readonly plans: readonly ColumnPlan[], private readonly keyIndex: number, private readonly keyKind: KeyKind, private readonly capacity: number, counts: Map<string, number>) {
    this.warnings = { count: (name) => counts.set(name, (counts.get(name) ?? 0) + 1) };
  }

  acquire(): PageBuilder {
    const builder = this.free.pop();
    if (builder) return builder;
    return new PageBuilder(this.plans, this.keyIndex, this.keyKind, this.capacity, this.warnings);
  }

  /** Takes a builder back; the tables it finished must no longer be read. */
  release(builder: PageBuilder): void {
    builder.reset();
    this.free.push(builder);
  }
}

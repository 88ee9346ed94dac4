import type { Table } from 'apache-arrow';
import type { Offset } from './offset.js';

/** Which load this is: names files and objects deterministically, so a retry overwrites. */
export interface LoadInfo {
  /** 1-based sequence number of the load within the run. */
  readonly sequence: number;
  /** The load holds the rows with keys after `afterKey` (null: from the start) up to `lastKey`, when the source has a key. */
  readonly afterKey?: Offset | null;
  readonly lastKey?: Offset;
}

/**
 * A Target. Loading happens in worker threads: each thread opens its own instance once, loads
 * many batches over the same connection, and closes it at the end of the run.
 * The main thread holds one more instance for the run as a whole: getOffset before extraction,
 * then begin, then commit (every load succeeded) or abort (the run failed).
 */
export interface Target {
  open(): Promise<void>;
  /**
   * Loads one batch. Its memory is reused for later batches once the returned promise settles:
   * keep nothing of it (copy what must outlive the call).
   */
  load(batch: Table, info: LoadInfo): Promise<void>;
  close(): Promise<void>;
  /** Highest key below which every row is loaded, or null when the target holds nothing. */
  getOffset(): Promise<Offset | null>;
  /**
   * Records progress while the run goes on (INCREMENTAL): every row up to `offset` is loaded.
   * Lets a crashed run resume without reloading. Main thread.
   */
  checkpoint?(offset: Offset): Promise<void>;
  /** Prepares a run (a staging table, a staging folder). Main thread, after open. */
  begin?(): Promise<void>;
  /**
   * Makes the run's loads visible (swap the staging table in, write a manifest). `offset` is the
   * highest key below which every row of this run is loaded.
   */
  commit?(offset: Offset | null): Promise<void>;
  /**
   * Called when a graceful stop or a failure ends the run. `offset` is as for commit: what is
   * loaded may be recorded (INCREMENTAL), nothing else of the run may be made visible.
   */
  abort?(offset: Offset | null): Promise<void>;
}

/** Live counters of a run, read by the progress line, the summary and the metrics monitor. */
export class RunStats {
  readonly startedAt = Date.now();
  rowsExtracted = 0;
  rowsTransformed = 0;
  rowsLoaded = 0;
  batchesExtracted = 0;
  loads = 0;
  /** Batches waiting for or inside the transform pool. */
  transformQueue = 0;
  /** Loads waiting for or inside the target pool. */
  targetQueue = 0;
  inFlight = 0;
  maxInFlight = 0;
  peakRss = 0;
  /** Rows the source expects to read (an estimate), when it can tell: percentage and ETA. */
  rowsExpected: number | null = null;

  sampleMemory(): number {
    const rss = process.memoryUsage.rss();
    this.peakRss = Math.max(this.peakRss, rss);
    return rss;
  }

  elapsedSeconds(): number {
    return (Date.now() - this.startedAt) / 1000;
  }
}

export type RunStatus = 'completed' | 'failed' | 'exited';

export interface RunSummary {
  readonly status: RunStatus;
  readonly pipelineId: string;
  readonly rowsExtracted: number;
  readonly rowsTransformed: number;
  readonly rowsLoaded: number;
  readonly seconds: number;
  readonly rowsPerSecond: number;
  readonly peakRssBytes: number;
  readonly maxInFlight: number;
  readonly startOffset: string;
  readonly endOffset: string;
  readonly warnings: Record<string, number>;
  /**
   * False when the target kept nothing of this run: a FULL_TABLE run that did not complete
   * (stopped or failed) loaded into staging only, and the target is as it was.
   */
  readonly committed: boolean;
  readonly error?: { readonly code: string; readonly message: string };
}

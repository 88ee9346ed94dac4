/**
 * Rows per second averaged over the last few intervals (the original averaged its last five
 * samples). The one rate of the project: the progress line and the metrics monitor both use it.
 * Give it the run's start (`add(0, startedAt)`) so the first reading is a real rate, not 0.
 */
export class MovingRate {
  private readonly samples: { at: number; rows: number }[] = [];

  constructor(private readonly window = 5) {}

  add(rows: number, at = Date.now()): number {
    this.samples.push({ at, rows });
    if (this.samples.length > this.window + 1) this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? Math.max(0, (last.rows - first.rows) / seconds) : 0;
  }
}

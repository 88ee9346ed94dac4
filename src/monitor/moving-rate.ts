/** Rows per second averaged over the last few intervals (the seed averaged its last five samples). */
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

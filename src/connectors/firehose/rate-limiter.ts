import { setTimeout as sleep } from 'node:timers/promises';

/**
 * A token bucket holding at most one second of records. A request larger than the bucket waits
 * for a full bucket and then overdraws it, so later requests wait for the debt.
 */
export class RateLimiter {
  private available: number;
  private last = performance.now();

  constructor(private readonly perSecond: number) {
    this.available = perSecond;
  }

  async take(count: number): Promise<void> {
    for (;;) {
      this.refill();
      const needed = Math.min(count, this.perSecond);
      if (this.available >= needed) {
        this.available -= count;
        return;
      }
      await sleep(Math.ceil(((needed - this.available) / this.perSecond) * 1000));
    }
  }

  private refill(): void {
    const now = performance.now();
    this.available = Math.min(this.perSecond, this.available + ((now - this.last) / 1000) * this.perSecond);
    this.last = now;
  }
}

import { ApiCallError } from './api-client.js';
import { backoffDelay } from '../retry.js';

/** One call to make, later, in order. */
export interface Job {
  readonly what: string;
  /** Series points may be dropped when the buffer is full; run lifecycle calls never are. */
  readonly droppable: boolean;
  /** Resolves true when it reached the server, false when it had nothing to send. */
  run(): Promise<boolean>;
}

export interface PostQueueOptions {
  /** Jobs kept at the most; when full the oldest droppable one goes. */
  readonly capacity: number;
  /** First wait before a retry; doubles up to maxBackoffMs. */
  readonly backoffMs: number;
  readonly maxBackoffMs: number;
  /** Called once when the server stops answering, and once when it answers again. */
  readonly onDown: (error: Error) => void;
  readonly onUp: () => void;
  /** A job the server refused for good (4xx): logged, then skipped. */
  readonly onRejected: (job: Job, error: Error) => void;
}

/**
 * Calls to the metrics server, made one at a time in order by a background loop, so the run
 * never waits on the network. Bounded: a server that is down costs a fixed amount of memory.
 */
export class PostQueue {
  private readonly jobs: Job[] = [];
  private running = false;
  private down = false;
  private closing = false;
  private backoff: number;
  /** Failures in a row: the retry policy's backoff grows with them (the queue retries without end). */
  private failures = 0;
  private wake: (() => void) | null = null;
  private idle: Promise<void> = Promise.resolve();
  dropped = 0;

  constructor(private readonly options: PostQueueOptions) {
    this.backoff = options.backoffMs;
  }

  get size(): number {
    return this.jobs.length;
  }

  push(job: Job): void {
    if (this.jobs.length >= this.options.capacity) {
      const oldest = this.jobs.findIndex((j) => j.droppable);
      if (oldest >= 0) this.jobs.splice(oldest, 1);
      else if (job.droppable) return void this.dropped++;
      this.dropped++;
    }
    this.jobs.push(job);
    if (!this.running) this.idle = this.loop();
    else this.wake?.();
  }

  /**
   * Gives the queue until `ms` to empty: each remaining job gets one more try, none waits for a
   * retry, lifecycle calls before points. Resolves early when empty; never rejects.
   */
  async drain(ms: number): Promise<void> {
    this.closing = true;
    // The run's own calls (create, finish) go first, in their order: after an outage the points
    // kept meanwhile could otherwise use up the time and leave the run marked running for good.
    this.jobs.sort((a, b) => Number(a.droppable) - Number(b.droppable));
    this.wake?.();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<void>((resolve) => { timer = setTimeout(resolve, ms); });
    await Promise.race([this.idle, deadline]);
    clearTimeout(timer);
    this.jobs.length = 0;
  }

  private async loop(): Promise<void> {
    this.running = true;
    try {
      while (this.jobs.length > 0) {
        // Out of the buffer while in flight, so a full buffer cannot drop the job being sent.
        const job = this.jobs.shift() as Job;
        if (await this.attempt(job)) continue;
        if (this.closing) continue;
        this.jobs.unshift(job);
        await this.sleep(this.backoff);
      }
    } finally {
      this.running = false;
    }
  }

  /** True when the job is done (or refused for good); false when it should be retried. */
  private async attempt(job: Job): Promise<boolean> {
    try {
      if (!(await job.run())) return true;
      this.backoff = this.options.backoffMs;
      this.failures = 0;
      if (this.down) {
        this.down = false;
        this.options.onUp();
      }
      return true;
    } catch (error) {
      if (error instanceof ApiCallError && !error.retryable) {
        this.options.onRejected(job, error);
        return true;
      }
      if (!this.down) {
        this.down = true;
        this.options.onDown(error as Error);
      }
      this.backoff = backoffDelay({ initialMs: this.options.backoffMs, maxMs: this.options.maxBackoffMs, jitter: false }, ++this.failures);
      return false;
    }
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(done, ms);
      timer.unref();
      function done() {
        clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        if (this.closing) done();
      };
    });
  }
}

import type { Piscina } from 'piscina';
import { FastlaneError } from '../errors.js';
import type { Offset } from '../stages/offset.js';
import type { SourceBatch } from '../stages/source.js';
import { Gatherer, type Load, type ReadyBatch } from './gatherer.js';
import { serializeBatch, type BatchResult, type LoadResult } from '../ipc/batch-buffers.js';
import { BufferPool } from './buffer-pool.js';
import { BatchSlots } from './slots.js';
import type { RunStats } from './stats.js';
import { Watermark } from './watermark.js';
import type { LoadTask, TransformTask, WorkerFailure } from './worker-protocol.js';

export interface FlowOptions {
  /** None when the transform passes batches through: they go straight to the target. */
  readonly transformPool?: Piscina;
  readonly targetPool: Piscina;
  readonly stats: RunStats;
  readonly maxBufferedBatches: number;
  readonly loadRows: number;
  /** Source batches one load gathers at the most (see loadSize). */
  readonly loadBatches: number;
  readonly startOffset: Offset | null;
  /** Names for error messages: "transform 'default'", "target 'file'". */
  readonly transformName: string;
  readonly targetName: string;
  /** How long one transform or load task may run before its thread is terminated. */
  readonly taskTimeoutMs: number;
  /** Called (never concurrently) when the loaded watermark moves. */
  readonly onWatermark?: (offset: Offset) => Promise<void>;
}

function isFailure(value: unknown): value is WorkerFailure {
  return typeof value === 'object' && value !== null && (value as WorkerFailure).failed === true;
}

/**
 * Moves batches from extraction through the transform pool into the target pool, at most
 * max_buffered_batches at a time. The first failure anywhere ends it: extraction stops and
 * `untilFailure` stops waiting at once.
 */
export class BatchFlow {
  private readonly slots: BatchSlots;
  private readonly gatherer: Gatherer;
  readonly watermark: Watermark;
  private readonly pending = new Set<Promise<unknown>>();
  private sequence = 0;
  private loadSequence = 0;
  private previousKey: Offset | null;
  private error: FastlaneError | null = null;
  /** Wakes whoever awaits in untilFailure when the flow fails. */
  private interrupt: (() => void) | null = null;
  private checkpointing: Promise<void> = Promise.resolve();
  /** Buffers back from loads, written into again by the next batches. */
  private readonly buffers: BufferPool;

  constructor(private readonly options: FlowOptions) {
    this.buffers = new BufferPool(options.maxBufferedBatches + 2);
    this.slots = new BatchSlots(options.maxBufferedBatches);
    this.gatherer = new Gatherer(options.loadRows, options.loadBatches);
    this.watermark = new Watermark(options.startOffset);
    this.previousKey = options.startOffset;
  }

  get failure(): FastlaneError | null {
    return this.error;
  }

  get maxInFlight(): number {
    return this.slots.maxInFlight;
  }

  fail(error: FastlaneError): void {
    if (this.error) return;
    this.error = error;
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
    this.slots.close();
    this.interrupt?.();
  }

  /**
   * Awaits a promise unless the flow fails first (then null). Unlike Promise.race against a
   * long-lived "failed" promise, it leaves no reaction behind that would keep each awaited
   * value (a whole batch) alive until the end of the run.
   */
  untilFailure<T>(promise: Promise<T>): Promise<T | null> {
    if (this.error) return Promise.resolve(null);
    return new Promise<T | null>((resolve, reject) => {
      this.interrupt = () => resolve(null);
      promise.then(
        (value) => {
          this.interrupt = null;
          resolve(value);
        },
        (error: unknown) => {
          this.interrupt = null;
          reject(error);
        },
      );
    });
  }

  /**
   * Ends extraction early (graceful stop): acquire answers false, what is in flight goes on. A
   * source read still waited on is let go: it was not handed on, so nothing of it is lost.
   */
  stopExtraction(): void {
    this.slots.close();
    this.interrupt?.();
  }

  /**
   * Bounds one task: its signal aborts it past task_timeout_s (Piscina then terminates its thread),
   * failing the flow with FL_TIMEOUT first, so that the thread's end is not reported as a crash.
   * `done` clears the bound once the task came back.
   */
  private taskBound(what: string): { signal: AbortSignal; done: () => void } {
    const controller = new AbortController();
    const ms = this.options.taskTimeoutMs;
    const timer = setTimeout(() => {
      this.fail(new FastlaneError('FL_TIMEOUT', `${what} did not finish within ${ms / 1000} s (task_timeout_s): its worker thread was terminated; find what it waits on, or raise task_timeout_s`));
      controller.abort();
    }, ms);
    timer.unref();
    this.timers.add(timer);
    return {
      signal: controller.signal,
      done: () => {
        clearTimeout(timer);
        this.timers.delete(timer);
      },
    };
  }

  /** Takes a slot for the next batch; false when the run is stopping or failed. */
  async reserve(): Promise<boolean> {
    const ok = await this.slots.acquire();
    this.options.stats.inFlight = this.slots.inFlight;
    this.options.stats.maxInFlight = this.slots.maxInFlight;
    return ok;
  }

  /** Gives back a slot reserved for a batch that turned out empty. */
  release(): void {
    this.slots.release();
  }

  /** Batches extracted so far. */
  get batches(): number {
    return this.sequence;
  }

  /** Sends an extracted batch (its slot already reserved) to the transform pool. */
  submit(batch: SourceBatch): void {
    const sequence = ++this.sequence;
    const stats = this.options.stats;
    stats.batchesExtracted++;
    stats.rowsExtracted += batch.table.numRows;
    const afterKey = this.previousKey;
    if (batch.lastKey !== undefined) this.previousKey = batch.lastKey;
    const { buffer, byteLength } = serializeBatch(batch.table, this.buffers);
    const pool = this.options.transformPool;
    if (!pool) {
      this.transformed({ sequence, buffer, byteLength, rows: batch.table.numRows, lastKey: batch.lastKey, afterKey });
      return;
    }
    const task: TransformTask = { buffer, byteLength, sequence };
    stats.transformQueue++;
    const bound = this.taskBound(`${this.options.transformName} on batch ${sequence}`);
    this.track(
      this.options.transformName,
      pool
        .run(task, { name: 'transform', transferList: [buffer], signal: bound.signal })
        .then((result: BatchResult | WorkerFailure) => {
          bound.done();
          stats.transformQueue--;
          if (isFailure(result)) throw this.stageError(result, `${this.options.transformName} failed on batch ${sequence}`);
          this.transformed({ sequence, buffer: result.buffer, byteLength: result.byteLength ?? result.buffer.byteLength, rows: result.rows, lastKey: batch.lastKey, afterKey });
        }),
    );
  }

  private transformed(ready: ReadyBatch): void {
    this.options.stats.rowsTransformed += ready.rows;
    for (const load of this.gatherer.add(ready)) this.dispatch(load);
  }

  /** Waits until every submitted batch is loaded (or the flow failed). */
  async drain(): Promise<void> {
    for (;;) {
      while (this.pending.size > 0 && !this.error) await this.untilFailure(Promise.allSettled([...this.pending]));
      if (this.error) break;
      const rest = this.gatherer.flush();
      if (!rest) break;
      this.dispatch(rest);
    }
    await this.checkpointing;
  }

  private dispatch(load: Load): void {
    const sequence = ++this.loadSequence;
    const stats = this.options.stats;
    const first = load.batches[0];
    const last = load.batches[load.batches.length - 1];
    const task: LoadTask = {
      buffers: load.batches.map((b) => b.buffer),
      byteLengths: load.batches.map((b) => b.byteLength),
      info: { sequence, afterKey: first.afterKey, lastKey: last.lastKey },
    };
    stats.targetQueue++;
    const span = first === last ? `batch ${first.sequence}` : `batches ${first.sequence}-${last.sequence}`;
    const bound = this.taskBound(`${this.options.targetName} load ${sequence} (${span})`);
    this.track(
      this.options.targetName,
      this.options.targetPool
        .run(task, { name: 'load', transferList: task.buffers, signal: bound.signal })
        .then((result: LoadResult | WorkerFailure) => {
          bound.done();
          stats.targetQueue--;
          if (isFailure(result)) throw this.stageError(result, `${this.options.targetName} failed on load ${sequence} (${span})`);
          for (const buffer of result.buffers ?? []) this.buffers.give(buffer);
          stats.rowsLoaded += result.rows;
          stats.loads++;
          this.slots.release(load.batches.length);
          stats.inFlight = this.slots.inFlight;
          let moved = false;
          for (const batch of load.batches) moved = this.watermark.loaded(batch.sequence, batch.lastKey) || moved;
          if (moved) this.scheduleCheckpoint();
        }),
    );
  }

  private lastCheckpoint = 0;
  /** The bounds of the tasks running now. */
  private readonly timers = new Set<NodeJS.Timeout>();

  /** Records the watermark at most once a second; commit records the final one. */
  private scheduleCheckpoint(): void {
    const onWatermark = this.options.onWatermark;
    const offset = this.watermark.offset;
    if (!onWatermark || offset === null || Date.now() - this.lastCheckpoint < 1000) return;
    this.lastCheckpoint = Date.now();
    this.checkpointing = this.checkpointing.then(() => (this.error ? undefined : onWatermark(offset))).catch((error: unknown) => {
      this.fail(new FastlaneError('FL_TARGET', `${this.options.targetName} could not record offset ${String(offset)}`, { cause: error }));
    });
  }

  /** A task that did not come back (its thread crashed or exited) fails the run, naming the stage. */
  private track(stage: string, promise: Promise<void>): void {
    const tracked: Promise<void> = promise
      .catch((error: unknown) => {
        this.fail(error instanceof FastlaneError ? error : new FastlaneError('FL_WORKER', `a ${stage} worker thread crashed: ${(error as Error).message}`, { cause: error }));
      })
      .finally(() => this.pending.delete(tracked));
    this.pending.add(tracked);
  }

  private stageError(failure: WorkerFailure, where: string): FastlaneError {
    const cause = new Error(failure.message);
    cause.stack = failure.stack;
    return new FastlaneError(failure.code, `${where}: ${failure.message}`, { cause, context: { where } });
  }
}

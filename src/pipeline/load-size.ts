import type { PipelinePlan } from '../config/plan.js';

/** How many rows a load holds at the most, and why when that is less than the target asked. */
export interface LoadSize {
  /** The target's `batch_size`. */
  readonly configured: number;
  /** What a load really holds at the most. */
  readonly rows: number;
  /** Source batches a load gathers at the most. */
  readonly maxBatches: number;
  /** Why `rows` is below `configured`, for --dry-run and the run's first lines. */
  readonly reason?: string;
}

/**
 * A load gathers whole source batches, at most half of `max_buffered_batches` of them: the
 * batches a load holds keep their slots until it is loaded, and waiting for more would wait for
 * the slots they hold. So a load holds at most min(target batch_size, that many source batches).
 */
export function loadSize(plan: PipelinePlan): LoadSize {
  const configured = Number((plan.target.config as { batch_size?: number }).batch_size ?? 10000);
  const sourceBatch = (plan.source.config as { batch_size?: number }).batch_size;
  const maxBatches = Math.max(1, Math.floor(plan.config.max_buffered_batches / 2));
  if (sourceBatch === undefined || sourceBatch * maxBatches >= configured) return { configured, rows: configured, maxBatches };
  return {
    configured,
    rows: sourceBatch * maxBatches,
    maxBatches,
    reason: `a load gathers at most max_buffered_batches / 2 = ${maxBatches} source batches of ${sourceBatch} rows; raise source batch_size or max_buffered_batches for larger loads`,
  };
}

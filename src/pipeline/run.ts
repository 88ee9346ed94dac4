import { BroadcastChannel } from 'node:worker_threads';
import type { Piscina } from 'piscina';
import type { PipelinePlan } from '../config/plan.js';
import { describeError, FastlaneError, isFastlaneError } from '../errors.js';
import type { Logger } from '../logging/logger.js';
import type { StageContext } from '../stages/context.js';
import { formatOffset, type Offset } from '../stages/offset.js';
import type { Source } from '../stages/source.js';
import type { Target } from '../stages/target.js';
import { BatchFlow } from './flow.js';
import { loadSize } from './load-size.js';
import { createStagePool } from './pools.js';
import { RunStats, type RunStatus, type RunSummary } from './stats.js';
import type { StopRequest } from './stop.js';
import type { LogRecord } from './worker-protocol.js';

/** Something that watches a run: the progress line, the metrics monitor. */
export interface RunObserver {
  start?(run: RunStart): void | Promise<void>;
  finish?(summary: RunSummary): void | Promise<void>;
}

export interface RunStart {
  readonly plan: PipelinePlan;
  readonly runId: string;
  readonly stats: RunStats;
  readonly startOffset: Offset | null;
}

export interface RunOptions {
  readonly plan: PipelinePlan;
  readonly logger: Logger;
  readonly stop: StopRequest;
  readonly observers?: readonly RunObserver[];
  readonly runId?: string;
  /** Overrides the config's stop_timeout_s (the CLI's --stop-timeout). */
  readonly stopTimeoutSeconds?: number;
}

interface Stages {
  source?: Source;
  target?: Target;
  transformPool?: Piscina;
  targetPool?: Piscina;
  /** Set before the pools are destroyed: threads ending from then on are expected. */
  ending?: boolean;
}

/**
 * Runs a pipeline to its end and reports how it ended. Never throws for a failed run: the
 * summary says `failed` with the error; the caller turns that into exit code 1.
 */
export async function runPipeline(options: RunOptions): Promise<RunSummary> {
  const { plan, logger, stop } = options;
  const runId = options.runId ?? String(Date.now());
  const context: StageContext = { pipelineId: plan.pipelineId, runId, replicationMode: plan.config.replication_mode, logger };
  const stats = new RunStats();
  const logChannel = forwardWorkerLogs(`fastlane-log-${runId}-${process.pid}`, logger);
  const stages: Stages = {};
  let startOffset: Offset | null = null;
  let flow: BatchFlow | null = null;
  let error: FastlaneError | null = null;
  const memorySampler = setInterval(() => stats.sampleMemory(), 200);
  memorySampler.unref();
  const stopBound = boundStop(stop, options.stopTimeoutSeconds ?? plan.config.stop_timeout_s, (error) => flow?.fail(error));
  try {
    const target = await step('target', plan.target.type, 'start', async () => plan.target.connector.create(plan.target.config as never, context));
    const source = await step('source', plan.source.type, 'start', async () => plan.source.connector.create(plan.source.config as never, context));
    Object.assign(stages, { target, source });
    await step('target', plan.target.type, 'open', () => target.open());
    startOffset = await resolveStartOffset(plan, target);
    for (const observer of options.observers ?? []) await observer.start?.({ plan, runId, stats, startOffset });
    logger.info(`pipeline ${plan.pipelineId}: ${plan.config.replication_mode} run ${runId} starting after offset ${formatOffset(startOffset) || '(none)'}`);
    await step('target', plan.target.type, 'begin', () => target.begin?.() ?? Promise.resolve());
    await step('source', plan.source.type, 'open', () => source.open());
    stats.rowsExpected = await source.estimatedRows?.().catch(() => null) ?? null;
    flow = startFlow(plan, context, stats, stages, target, logChannel.name, startOffset);
    await extract(plan, source, flow, stop, startOffset);
    await flow.drain();
    if (flow.failure) throw flow.failure;
    // Closing the worker targets can stall too (a connection that stopped answering): a stop's
    // bound or a crash ends the wait.
    await flow.untilFailure(closeWorkerTargets(stages.targetPool as Piscina, plan.target.type));
    if (flow.failure) throw flow.failure;
    await finishTarget(target, plan, stop.requested ? 'abort' : 'commit', flow.watermark.offset);
  } catch (caught) {
    error = flow?.failure ?? toFastlaneError(caught);
    logger.error(`pipeline ${plan.pipelineId} failed: ${describeError(error)}`);
    await destroyPools(stages);
    await finishTarget(stages.target, plan, 'abort', flow?.watermark.offset ?? null).catch((abortError: unknown) => {
      logger.warn(`target ${plan.target.type} could not clean up after the failure: ${describeError(abortError)}`);
    });
  } finally {
    clearInterval(memorySampler);
    stopBound.dispose();
    await destroyPools(stages);
    await closeQuietly(stages, logger);
    logChannel.close();
  }
  const status: RunStatus = error ? 'failed' : stop.requested ? 'exited' : 'completed';
  const summary = summarize(plan, stats, status, startOffset, flow, error, stages.source);
  for (const observer of options.observers ?? []) await observer.finish?.(summary);
  return summary;
}

async function resolveStartOffset(plan: PipelinePlan, target: Target): Promise<Offset | null> {
  const configured = (plan.source.config as { offset?: Offset }).offset ?? null;
  if (plan.config.replication_mode !== 'INCREMENTAL') return configured;
  const loaded = await step('target', plan.target.type, 'getOffset', () => target.getOffset());
  return loaded ?? configured;
}

function startFlow(plan: PipelinePlan, context: StageContext, stats: RunStats, stages: Stages, target: Target, logChannel: string, startOffset: Offset | null): BatchFlow {
  const common = { pipelineId: context.pipelineId, runId: context.runId, replicationMode: context.replicationMode, logLevel: context.logger.level, logChannel };
  const transformThreads = Number((plan.transform.config as { concurrency?: number }).concurrency ?? 1);
  const targetThreads = Number((plan.target.config as { concurrency?: number }).concurrency ?? 1);
  // A transform that leaves batches as they are costs threads and a hop per batch for nothing.
  const passesThrough = plan.transform.connector.passesThrough?.(plan.transform.config as never) ?? false;
  if (!passesThrough) stages.transformPool = createStagePool('transform', { ...common, module: plan.transform.connector.module, config: plan.transform.config }, transformThreads);
  stages.targetPool = createStagePool('target', { ...common, module: plan.target.connector.module, config: plan.target.config }, targetThreads);
  const sizes = loadSize(plan);
  if (sizes.reason) context.logger.info(`loads hold up to ${sizes.rows} rows, not target batch_size ${sizes.configured}: ${sizes.reason}`);
  const flow = new BatchFlow({
    transformPool: stages.transformPool,
    targetPool: stages.targetPool,
    stats,
    maxBufferedBatches: plan.config.max_buffered_batches,
    loadRows: sizes.configured,
    loadBatches: sizes.maxBatches,
    taskTimeoutMs: plan.config.task_timeout_s * 1000,
    startOffset,
    transformName: `transform '${plan.transform.type}'`,
    targetName: `target '${plan.target.type}'`,
    onWatermark: plan.config.replication_mode === 'INCREMENTAL' && target.checkpoint ? (offset) => target.checkpoint!(offset) : undefined,
  });
  // A worker that cannot start, throws outside a task or exits fails the run (not the process):
  // Piscina reports the first as 'error' and would silently replace a thread that exited.
  for (const [stage, pool] of [['transform', stages.transformPool], ['target', stages.targetPool]] as const) {
    const name = stage === 'transform' ? `transform '${plan.transform.type}'` : `target '${plan.target.type}'`;
    pool?.on('error', (error: Error) => flow.fail(new FastlaneError('FL_WORKER', `a ${name} worker thread crashed: ${error.message}`, { cause: error })));
    pool?.on('workerDestroy', () => {
      if (!stages.ending) flow.fail(new FastlaneError('FL_WORKER', `a ${name} worker thread exited during the run (process.exit or a fatal error in the thread): the run stops; read the log above for its cause`));
    });
  }
  return flow;
}

/** Reads the source on this thread, one batch per free slot, until it ends, fails or a stop is asked. */
async function extract(plan: PipelinePlan, source: Source, flow: BatchFlow, stop: StopRequest, startOffset: Offset | null): Promise<void> {
  stop.onStop(() => flow.stopExtraction());
  const iterator = source.batches(startOffset)[Symbol.asyncIterator]();
  try {
    while (!stop.requested && (await flow.reserve())) {
      const next = await flow.untilFailure(iterator.next());
      if (next === null || next.done) break;
      if (next.value.table.numRows > 0) flow.submit(next.value);
      else flow.release();
      next.value.release?.();
    }
  } catch (error) {
    flow.fail(wrap(error, 'FL_SOURCE', `source '${plan.source.type}' failed after batch ${flow.batches}`));
  } finally {
    // Let the source stop its query or stream; do not wait on a source that hangs.
    await Promise.race([iterator.return?.(), new Promise((resolve) => setTimeout(resolve, 2000).unref())]).catch(() => undefined);
  }
}

/**
 * Bounds a graceful stop: `stopTimeoutSeconds` after a stop is asked, `giveUp` fails the run with
 * FL_STOP_TIMEOUT, so what is still in flight is abandoned and the run ends (exit 1).
 */
function boundStop(stop: StopRequest, stopTimeoutSeconds: number, giveUp: (error: FastlaneError) => void): { dispose(): void } {
  let timer: NodeJS.Timeout | undefined;
  let disposed = false;
  stop.onStop((reason) => {
    if (disposed) return;
    timer = setTimeout(() => {
      giveUp(new FastlaneError('FL_STOP_TIMEOUT', `stop requested (${reason}), but what was in flight did not finish within ${stopTimeoutSeconds} s: gave up without loading it; raise stop_timeout_s (or --stop-timeout) to wait longer`));
    }, stopTimeoutSeconds * 1000);
    timer.unref();
  });
  return {
    dispose: () => {
      disposed = true;
      clearTimeout(timer);
    },
  };
}

async function closeWorkerTargets(pool: Piscina, type: string): Promise<void> {
  const results = await Promise.all(Array.from({ length: pool.options.maxThreads }, () => pool.run({}, { name: 'close' })));
  const failure = results.find((r: { failed?: boolean; message?: string }) => r.failed) as { message: string } | undefined;
  if (failure) throw new FastlaneError('FL_TARGET', `target '${type}' failed to close: ${failure.message}`);
}

async function finishTarget(target: Target | undefined, plan: PipelinePlan, how: 'commit' | 'abort', offset: Offset | null): Promise<void> {
  if (!target) return;
  const action = how === 'commit' ? target.commit : target.abort;
  if (action) await step('target', plan.target.type, how, () => action.call(target, offset));
}

async function destroyPools(stages: Stages): Promise<void> {
  stages.ending = true;
  const pools = [stages.transformPool, stages.targetPool].filter((p): p is Piscina => p !== undefined);
  stages.transformPool = undefined;
  stages.targetPool = undefined;
  await Promise.all(pools.map((pool) => pool.destroy().catch(() => undefined)));
}

async function closeQuietly(stages: Stages, logger: Logger): Promise<void> {
  for (const [name, stage] of [['source', stages.source], ['target', stages.target]] as const) {
    await stage?.close().catch((error: unknown) => logger.warn(`${name} close failed: ${describeError(error)}`));
  }
}

/** Runs one lifecycle step; an error names the stage, the connector and the step. */
async function step<T>(stage: string, type: string, what: string, action: () => Promise<T>): Promise<T> {
  try {
    return await action();
  } catch (error) {
    throw wrap(error, stage === 'source' ? 'FL_SOURCE' : 'FL_TARGET', `${stage} '${type}' failed to ${what}`);
  }
}

function wrap(error: unknown, code: FastlaneError['code'], where: string): FastlaneError {
  if (isFastlaneError(error)) {
    return new FastlaneError(error.code, `${where}: ${error.message}`, { cause: error.cause ?? error, context: { ...error.context, where } });
  }
  return new FastlaneError(code, `${where}: ${(error as Error)?.message ?? String(error)}`, { cause: error, context: { where } });
}

function toFastlaneError(error: unknown): FastlaneError {
  return isFastlaneError(error) ? error : new FastlaneError('FL_INTERNAL', (error as Error)?.message ?? String(error), { cause: error });
}

function forwardWorkerLogs(name: string, logger: Logger): BroadcastChannel {
  const channel = new BroadcastChannel(name);
  channel.onmessage = (event) => {
    const record = (event as unknown as { data: LogRecord }).data;
    logger.log(record.level, record.message);
  };
  channel.unref();
  return channel;
}

function summarize(plan: PipelinePlan, stats: RunStats, status: RunStatus, startOffset: Offset | null, flow: BatchFlow | null, error: FastlaneError | null, source: Source | undefined): RunSummary {
  stats.sampleMemory();
  const seconds = stats.elapsedSeconds();
  return {
    status,
    pipelineId: plan.pipelineId,
    rowsExtracted: stats.rowsExtracted,
    rowsTransformed: stats.rowsTransformed,
    rowsLoaded: stats.rowsLoaded,
    seconds,
    rowsPerSecond: seconds > 0 ? stats.rowsLoaded / seconds : 0,
    peakRssBytes: stats.peakRss,
    maxInFlight: flow?.maxInFlight ?? 0,
    startOffset: formatOffset(startOffset),
    endOffset: formatOffset(flow?.watermark.offset ?? startOffset),
    warnings: source?.warnings?.() ?? {},
    committed: status === 'completed' || plan.config.replication_mode === 'INCREMENTAL',
    ...(error ? { error: { code: error.code, message: error.message } } : {}),
  };
}

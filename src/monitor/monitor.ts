import type { PipelinePlan } from '../config/plan.js';
import type { Logger } from '../logging/logger.js';
import type { RunObserver, RunStart } from '../pipeline/run.js';
import type { RunStats, RunSummary } from '../pipeline/stats.js';
import { maskSecrets } from '../masking/mask.js';
import { ApiCallError, type ApiClient } from './api-client.js';
import { LineTransport, type LogLine } from './log-transport.js';
import { MovingRate } from '../pipeline/moving-rate.js';
import { apiOffset } from './offsets.js';
import { PostQueue, type Job } from './post-queue.js';

const MB = 1024 * 1024;

export interface MonitorOptions {
  readonly client: ApiClient;
  readonly logger: Logger;
  /** Between two posts of rps, memory, queue depths and rows loaded (default 5 s). */
  readonly intervalMs?: number;
  /** Calls kept while the server is away (default 1,000). */
  readonly capacity?: number;
  /** How long the end of a run may wait for the last posts (default 5 s). */
  readonly finishTimeoutMs?: number;
  readonly backoffMs?: number;
  readonly maxBackoffMs?: number;
  /** The CloudWatch Logs stream of the run, when it logs there (then lines are not posted). */
  readonly logStream?: string;
  /** Lets a run that fails before it starts (a target that cannot open) still be recorded. */
  readonly plan?: PipelinePlan;
}

const MAX_PENDING_LINES = 5000;
const LINES_PER_POST = 1000;
/** Well under the server's default 1 MiB body limit. */
const BYTES_PER_POST = 512 * 1024;
const MAX_LINE_CHARS = 16 * 1024;

/**
 * Reports a run to the metrics server: the pipeline and the run at start, then rps, memory,
 * queue depths and rows loaded every interval, then how it ended. Every call goes through a
 * bounded queue on its own loop: a slow or absent server never slows or fails the run.
 */
export class ApiMonitor implements RunObserver {
  private readonly queue: PostQueue;
  private readonly rate = new MovingRate(5);
  private readonly rejections = new Set<string>();
  private lines: LogLine[] = [];
  private stats: RunStats | null = null;
  private runId: number | null = null;
  private timer: NodeJS.Timeout | undefined;

  constructor(private readonly options: MonitorOptions) {
    const { logger, client } = options;
    this.queue = new PostQueue({
      capacity: options.capacity ?? 1000,
      backoffMs: options.backoffMs ?? 1000,
      maxBackoffMs: options.maxBackoffMs ?? 30_000,
      onDown: (error) => logger.warn(`metrics server ${client.url} is not answering (${error.message}): the run goes on; metrics are kept (at most ${options.capacity ?? 1000} calls) and retried`),
      onUp: () => logger.info(`metrics server ${client.url} answers again`),
      onRejected: (job, error) => this.rejected(job, error),
    });
  }

  /** Log lines for the server (GET /api/pipeline/run/logs), unless they go to CloudWatch. */
  logTransport(): LineTransport {
    return new LineTransport((line) => {
      if (this.options.logStream) return;
      this.lines.push(line.message.length > MAX_LINE_CHARS ? { ...line, message: `${line.message.slice(0, MAX_LINE_CHARS)}...` } : line);
      if (this.lines.length > MAX_PENDING_LINES) this.lines.shift();
    });
  }

  start(run: RunStart): void {
    this.stats = run.stats;
    this.announce(run.plan, new Date(run.stats.startedAt), apiOffset(run.startOffset));
    this.timer = setInterval(() => this.sample(), this.options.intervalMs ?? 5000);
    this.timer.unref();
  }

  async finish(summary: RunSummary): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    if (this.stats) this.sample();
    else if (this.options.plan) {
      this.announce(this.options.plan, new Date(Date.now() - summary.seconds * 1000), apiOffset(summary.startOffset));
      this.postLines();
    } else return;
    this.push('finish the run', false, () => this.withRun((id) => this.options.client.call('PUT', '/api/pipeline/run', {
      pipeline_run_id: id,
      status: summary.status,
      finished: new Date().toISOString(),
      rows_loaded: summary.rowsLoaded,
      end_offset: apiOffset(summary.endOffset),
    })));
    await this.queue.drain(this.options.finishTimeoutMs ?? 5000);
  }

  private sample(): void {
    const stats = this.stats as RunStats;
    const rps = this.rate.add(stats.rowsLoaded);
    const memory = stats.sampleMemory() / MB;
    const queues = { transform_queue: stats.transformQueue, target_queue: stats.targetQueue, in_flight: stats.inFlight };
    const rows = stats.rowsLoaded;
    this.point('rps', { rps });
    this.point('memory_usage', { memory_usage: memory });
    this.point('queue_depth', queues);
    this.point('rows_loaded', { rows_loaded: rows });
    this.postLines();
  }

  private point(series: string, values: Record<string, number>): void {
    this.push(`post ${series}`, true, () => this.withRun((id) => this.options.client.call('POST', `/api/pipeline/run/${series}`, { pipeline_run_id: id, ...values })));
  }

  private postLines(): void {
    while (this.lines.length > 0) {
      const batch = this.takeLines();
      this.push('post log lines', true, () => this.withRun((id) => this.options.client.call('POST', '/api/pipeline/run/logs', { pipeline_run_id: id, logs: batch })));
    }
  }

  private takeLines(): LogLine[] {
    let bytes = 0;
    let count = 0;
    while (count < this.lines.length && count < LINES_PER_POST) {
      const size = Buffer.byteLength(this.lines[count].message) + 64;
      if (count > 0 && bytes + size > BYTES_PER_POST) break;
      bytes += size;
      count++;
    }
    return this.lines.splice(0, count);
  }

  private push(what: string, droppable: boolean, run: () => Promise<unknown>): void {
    const job: Job = { what, droppable, run: async () => (await run()) !== false };
    this.queue.push(job);
  }

  /** Calls for a run wait for it to exist; if it could not be created they are skipped (false). */
  private async withRun(call: (id: number) => Promise<unknown>): Promise<boolean> {
    if (this.runId === null) return false;
    await call(this.runId);
    return true;
  }

  private async ensurePipeline(plan: PipelinePlan): Promise<void> {
    const { client } = this.options;
    const existing = await client.call('GET', `/api/pipeline?pipeline_id=${encodeURIComponent(plan.pipelineId)}`);
    if (Object.keys(existing).length > 0) return;
    try {
      await client.call('POST', '/api/pipeline', {
        pipeline_id: plan.pipelineId,
        source_type: plan.source.type,
        target_type: plan.target.type,
        pipeline_type: plan.config.replication_mode,
        config: maskSecrets(plan.config),
      });
    } catch (error) {
      // Another run of the same pipeline created it in between: fine.
      if (!(error instanceof ApiCallError && error.status === 400 && /already exists/.test(error.message))) throw error;
    }
  }

  /** Creates the pipeline when missing, then the run. */
  private announce(plan: PipelinePlan, started: Date, startOffset: number | string | null): void {
    this.push('create the pipeline', false, () => this.ensurePipeline(plan));
    this.push('create the run', false, () => this.createRun(plan, started, startOffset));
  }

  private async createRun(plan: PipelinePlan, started: Date, startOffset: number | string | null): Promise<void> {
    const created = await this.options.client.call<{ id: number }>('POST', '/api/pipeline/run', {
      pipeline_id: plan.pipelineId,
      status: 'running',
      started: started.toISOString(),
      start_offset: startOffset,
      ...(this.options.logStream ? { cloudwatch_log_stream: this.options.logStream } : {}),
    });
    this.runId = created.id;
    // The id the server, its web UI and its logs know the run by; the page URL goes into tickets.
    this.options.logger.info(`run ${created.id} on the metrics server: ${this.options.client.url.replace(/\/+$/, '')}/runs/${created.id}`);
  }

  private rejected(job: Job, error: Error): void {
    const key = `${job.what}:${(error as ApiCallError).status}`;
    if (this.rejections.has(key)) return;
    this.rejections.add(key);
    this.options.logger.warn(`metrics server refused to ${job.what}: ${error.message}`);
  }
}

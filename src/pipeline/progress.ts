import type { Logger } from '../logging/logger.js';
import type { RunObserver, RunStart } from './run.js';
import type { RunStats, RunSummary } from './stats.js';

export type ProgressMode = 'tty' | 'log' | 'off';

const MB = 1024 * 1024;

/** Rows per second over the last few samples: steadier than the last interval alone. */
class MovingRate {
  private readonly samples: { at: number; rows: number }[] = [];

  constructor(private readonly window: number) {}

  add(rows: number): number {
    this.samples.push({ at: Date.now(), rows });
    if (this.samples.length > this.window) this.samples.shift();
    const first = this.samples[0];
    const last = this.samples[this.samples.length - 1];
    const seconds = (last.at - first.at) / 1000;
    return seconds > 0 ? (last.rows - first.rows) / seconds : 0;
  }
}

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

export function progressLine(stats: RunStats, rate: number): string {
  return [
    `extracted ${formatCount(stats.rowsExtracted)}`,
    `loaded ${formatCount(stats.rowsLoaded)}`,
    `${formatCount(rate)} rows/s`,
    `RSS ${formatCount(stats.sampleMemory() / MB)} MB`,
    `queues transform ${stats.transformQueue} target ${stats.targetQueue} (in flight ${stats.inFlight})`,
    `${stats.elapsedSeconds().toFixed(1)} s`,
  ].join(' | ');
}

/** A live line on a terminal (stderr), or a log line every few seconds elsewhere. */
export class ProgressReporter implements RunObserver {
  private timer: NodeJS.Timeout | undefined;
  private readonly rate = new MovingRate(5);

  constructor(private readonly mode: ProgressMode, private readonly logger: Logger, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(run: RunStart): void {
    if (this.mode === 'off') return;
    const every = this.mode === 'tty' ? 500 : 5000;
    this.timer = setInterval(() => this.tick(run.stats), every);
    this.timer.unref();
  }

  private tick(stats: RunStats): void {
    const line = progressLine(stats, this.rate.add(stats.rowsLoaded));
    if (this.mode === 'tty') this.stream.write(`\r\x1b[K${line}`);
    else this.logger.info(`progress: ${line}`);
  }

  finish(_summary: RunSummary): void {
    if (this.timer) clearInterval(this.timer);
    if (this.mode === 'tty') this.stream.write('\r\x1b[K');
  }
}

export function summaryLine(summary: RunSummary): string {
  const warnings = Object.entries(summary.warnings).map(([what, count]) => `${formatCount(count)} ${what}`);
  return [
    `${summary.status}: ${summary.pipelineId}`,
    `rows extracted ${formatCount(summary.rowsExtracted)}, transformed ${formatCount(summary.rowsTransformed)}, loaded ${formatCount(summary.rowsLoaded)}`,
    `${summary.seconds.toFixed(2)} s, ${formatCount(summary.rowsPerSecond)} rows/s, peak RSS ${formatCount(summary.peakRssBytes / MB)} MB`,
    summary.endOffset ? `offset ${summary.startOffset || '(start)'} -> ${summary.endOffset}` : '',
    warnings.length > 0 ? `warnings: ${warnings.join(', ')}` : '',
  ].filter(Boolean).join('; ');
}

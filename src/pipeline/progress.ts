import type { Logger } from '../logging/logger.js';
import type { RunObserver, RunStart } from './run.js';
import { MovingRate } from './moving-rate.js';
import type { RunStats, RunSummary } from './stats.js';

export type ProgressMode = 'tty' | 'log' | 'off';

const MB = 1024 * 1024;

export function formatCount(n: number): string {
  return Math.round(n).toLocaleString('en-US');
}

/** `42% ETA 1m05s` when the source told how many rows it expects, else nothing. */
function completion(stats: RunStats, rate: number): string | null {
  const expected = stats.rowsExpected;
  if (expected === null || expected <= 0) return null;
  const share = Math.min(stats.rowsLoaded / expected, 1);
  const left = Math.max(expected - stats.rowsLoaded, 0);
  const eta = rate > 0 ? ` ETA ${duration(left / rate)}` : '';
  return `${Math.floor(share * 100)}% of ~${formatCount(expected)}${eta}`;
}

function duration(seconds: number): string {
  const s = Math.ceil(seconds);
  if (s < 60) return `${s}s`;
  const m = Math.floor(s / 60);
  return m < 60 ? `${m}m${String(s % 60).padStart(2, '0')}s` : `${Math.floor(m / 60)}h${String(m % 60).padStart(2, '0')}m`;
}

export function progressLine(stats: RunStats, rate: number): string {
  return [
    completion(stats, rate),
    `extracted ${formatCount(stats.rowsExtracted)}`,
    `loaded ${formatCount(stats.rowsLoaded)}`,
    `${formatCount(rate)} rows/s`,
    `RSS ${formatCount(stats.sampleMemory() / MB)} MB`,
    `queues transform ${stats.transformQueue} target ${stats.targetQueue} (in flight ${stats.inFlight})`,
    `${stats.elapsedSeconds().toFixed(1)} s`,
  ].filter((part): part is string => part !== null).join(' | ');
}

/** A live line on a terminal (stderr), or a log line every few seconds elsewhere. */
export class ProgressReporter implements RunObserver {
  private timer: NodeJS.Timeout | undefined;
  private readonly rate = new MovingRate(5);

  constructor(private readonly mode: ProgressMode, private readonly logger: Logger, private readonly stream: NodeJS.WriteStream = process.stderr) {}

  start(run: RunStart): void {
    if (this.mode === 'off') return;
    // The run's start is the first sample: the first line's rate covers the rows loaded so far.
    this.rate.add(0, run.stats.startedAt);
    const every = this.mode === 'tty' ? 500 : 5000;
    this.timer = setInterval(() => this.tick(run.stats), every);
    this.timer.unref();
    // A log line written while the live line is shown starts on a line of its own: the live
    // line is cleared first (listeners run before the console transport, which is piped).
    if (this.mode === 'tty') this.logger.prependListener('data', this.clearLine);
  }

  private readonly clearLine = (): void => {
    this.stream.write('\r\x1b[K');
  };

  private tick(stats: RunStats): void {
    const line = progressLine(stats, this.rate.add(stats.rowsLoaded));
    if (this.mode === 'tty') this.stream.write(`\r\x1b[K${fitWidth(line, this.stream.columns)}`);
    else this.logger.info(`progress: ${line}`);
  }

  finish(_summary: RunSummary): void {
    if (this.timer) clearInterval(this.timer);
    if (this.mode !== 'tty') return;
    this.logger.off('data', this.clearLine);
    this.stream.write('\r\x1b[K');
  }
}

/** The live line cut to the terminal's width: a wrapped line cannot be redrawn in place. */
export function fitWidth(line: string, columns: number | undefined): string {
  if (!columns || line.length < columns) return line;
  return `${line.slice(0, Math.max(columns - 2, 0))}…`;
}

export function summaryLine(summary: RunSummary): string {
  const warnings = Object.entries(summary.warnings).map(([what, count]) => `${formatCount(count)} ${what}`);
  return [
    `${summary.status}: ${summary.pipelineId}`,
    `rows extracted ${formatCount(summary.rowsExtracted)}, transformed ${formatCount(summary.rowsTransformed)}, loaded ${formatCount(summary.rowsLoaded)}${summary.committed ? '' : ' into staging'}`,
    summary.committed ? '' : 'nothing was committed: FULL_TABLE replaces the target only when a run completes, so the target is unchanged',
    `${summary.seconds.toFixed(2)} s, ${formatCount(summary.rowsPerSecond)} rows/s, peak RSS ${formatCount(summary.peakRssBytes / MB)} MB`,
    summary.endOffset && summary.committed ? `offset ${summary.startOffset || '(start)'} -> ${summary.endOffset}` : '',
    warnings.length > 0 ? `warnings: ${warnings.join(', ')}` : '',
  ].filter(Boolean).join('; ');
}

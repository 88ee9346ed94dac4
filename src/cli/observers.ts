import type { PipelinePlan } from '../config/plan.js';
import type { Logger } from '../logging/logger.js';
import { ApiClient } from '../monitor/api-client.js';
import { ApiMonitor } from '../monitor/monitor.js';
import { ProgressReporter, summaryLine, type ProgressMode } from '../pipeline/progress.js';
import type { RunObserver } from '../pipeline/run.js';
import type { RunCommand } from './args.js';

export interface ObserverContext {
  /** The run's CloudWatch Logs stream, when its logs go there. */
  readonly logStream?: string;
  readonly plan?: PipelinePlan;
}

/** The watchers of a CLI run: the progress line, and whatever else the flags ask for. */
export function createObservers(command: RunCommand, logger: Logger, context: ObserverContext = {}): RunObserver[] {
  const mode: ProgressMode = command.progress === 'auto' ? (process.stderr.isTTY ? 'tty' : 'log') : command.progress;
  // The summary is logged before the monitor finishes, so it reaches the server's run logs too.
  const observers: RunObserver[] = [new ProgressReporter(mode, logger), summaryLogger(logger)];
  if (command.api) {
    const monitor = new ApiMonitor({
      client: new ApiClient({ baseUrl: command.api, token: command.apiToken }),
      logger,
      intervalMs: command.apiInterval * 1000,
      logStream: context.logStream,
      plan: context.plan,
    });
    logger.add(monitor.logTransport());
    observers.push(monitor);
  }
  return observers;
}

/** Logs the run's last line (completed / failed / exited, counts, offsets). */
function summaryLogger(logger: Logger): RunObserver {
  return { finish: (summary) => void logger.log(summary.status === 'failed' ? 'error' : 'info', summaryLine(summary)) };
}

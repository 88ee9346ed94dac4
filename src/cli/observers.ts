import type { Logger } from '../logging/logger.js';
import { ProgressReporter, type ProgressMode } from '../pipeline/progress.js';
import type { RunObserver } from '../pipeline/run.js';
import type { RunCommand } from './args.js';

/** The watchers of a CLI run: the progress line, and whatever else the flags ask for. */
export function createObservers(command: RunCommand, logger: Logger): RunObserver[] {
  const mode: ProgressMode = command.progress === 'auto' ? (process.stderr.isTTY ? 'tty' : 'log') : command.progress;
  return [new ProgressReporter(mode, logger)];
}

import type { CliProcess } from './cli.js';

/** spawnCli's exit code for a process ended by a signal. */
export const KILLED = 128;

/**
 * Polls until `reached` says so (a failed poll counts as "not yet"), then signals the CLI: SIGKILL
 * by default, so no cleanup runs. Resolves with the exit code; a run that ended first keeps its own.
 */
export async function killWhen(cli: CliProcess, reached: () => Promise<boolean>, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
  let finished = false;
  void cli.done.then(() => (finished = true));
  while (!finished && !(await reached().catch(() => false))) await new Promise((resolve) => setTimeout(resolve, 20));
  cli.kill(signal);
  return (await cli.done).code;
}

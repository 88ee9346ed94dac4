import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { main } from '../../src/cli/main.js';
import { REPO_ROOT } from './pipeline.js';

export interface CliResult {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs the CLI in this process, capturing its output. */
export async function runCli(argv: string[], env: NodeJS.ProcessEnv = {}): Promise<CliResult> {
  let stdout = '';
  let stderr = '';
  const code = await main(argv, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), env: { ...process.env, ...env } });
  return { code, stdout, stderr };
}

export interface CliProcess {
  readonly pid: number;
  readonly done: Promise<CliResult>;
  kill(signal: NodeJS.Signals): void;
}

/**
 * Starts the CLI in a child process (for signals and exit codes of a real process): from source,
 * or with `built` the package's own bin/fastlane.js over dist/ (what users run; it starts in a
 * fraction of the time, which suites of many runs need; `npm test` builds dist/ when stale).
 */
export function spawnCli(argv: string[], env: NodeJS.ProcessEnv = {}, options: { built?: boolean } = {}): CliProcess {
  const entry = options.built ? [join(REPO_ROOT, 'bin', 'fastlane.js')] : ['--import', 'tsx', join(REPO_ROOT, 'src', 'cli', 'bin.ts')];
  const child = spawn(process.execPath, [...entry, ...argv], {
    cwd: REPO_ROOT,
    env: { ...process.env, NODE_OPTIONS: '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const done = new Promise<CliResult>((resolve) => child.on('close', (code, signal) => resolve({ code: code ?? (signal ? 128 : 1), stdout, stderr })));
  return { pid: child.pid as number, done, kill: (signal) => child.kill(signal) };
}

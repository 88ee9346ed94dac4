import { spawn } from 'node:child_process';

/** What one command cost: wall and CPU seconds (user + system, children included) and peak RSS. */
export interface Measurement {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakRssMb: number;
}

/** Runs a command under GNU time (Debian's /usr/bin/time) and reads its resource usage. */
export async function measure(command: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Measurement> {
  const format = 'FASTLANE_BENCH %e %U %S %M';
  return new Promise((resolve, reject) => {
    const child = spawn('/usr/bin/time', ['-f', format, command, ...args], { env: { ...process.env, ...env }, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const line = stderr.split('\n').find((l) => l.startsWith('FASTLANE_BENCH'));
      if (code !== 0 || !line) return reject(new Error(`${command} ${args.join(' ')} failed (${code}):\n${stderr.slice(-2000)}`));
      const [, elapsed, user, system, rssKb] = line.split(' ').map(Number);
      resolve({ seconds: elapsed, cpuSeconds: user + system, peakRssMb: rssKb / 1024 });
    });
  });
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

/** Runs a measurement `runs` times and keeps the median of each figure. */
export async function medianOf(runs: number, run: () => Promise<Measurement>): Promise<Measurement & { runs: number }> {
  const results: Measurement[] = [];
  for (let i = 0; i < runs; i++) results.push(await run());
  return {
    runs,
    seconds: median(results.map((r) => r.seconds)),
    cpuSeconds: median(results.map((r) => r.cpuSeconds)),
    peakRssMb: median(results.map((r) => r.peakRssMb)),
  };
}

/**
 * `npm run bench`: builds, then runs every benchmark in turn and prints Markdown tables for
 * BENCHMARKS.md. Each benchmark is its own script, so one can be run alone.
 */
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BENCHES = ['bench/file.ts', 'bench/mysql/run.ts', 'bench/mongodb.ts', 'bench/bigquery.ts'];

function run(command: string, args: string[]): void {
  const result = spawnSync(command, args, { cwd: ROOT, stdio: 'inherit' });
  if (result.status !== 0) process.exit(result.status ?? 1);
}

run('npm', ['run', 'build']);
for (const bench of BENCHES.filter((b) => existsSync(join(ROOT, b)))) {
  console.log(`\n## ${bench}\n`);
  run(process.execPath, ['--import', 'tsx', bench, ...process.argv.slice(2)]);
}

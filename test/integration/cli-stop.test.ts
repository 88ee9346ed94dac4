import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { recordedLoads } from '../fixtures/connectors/slow-target.js';
import { spawnCli, type CliProcess } from '../support/cli.js';
import { REPO_ROOT, withTempDir } from '../support/pipeline.js';

const PLUGIN = join(REPO_ROOT, 'test', 'fixtures', 'connectors', 'plugin.ts');

async function startSlowRun(dir: string): Promise<{ cli: CliProcess; record: string; stateDir: string }> {
  const record = join(dir, 'loads.txt');
  const config = join(dir, 'pipeline.json');
  await writeFile(config, JSON.stringify({
    source: { generated: { rows: 1_000_000, batch_size: 100, delay_ms: 10 } },
    transform: { add_op_fields: false },
    target: { slow: { batch_size: 100, concurrency: 2, delay_ms: 50, record_file: record } },
    replication_mode: 'FULL_TABLE',
    max_buffered_batches: 4,
  }));
  const stateDir = join(dir, 'state');
  const cli = spawnCli(['run', `--config=${config}`, `--plugin=${PLUGIN}`, `--state-dir=${stateDir}`, '--progress=off']);
  // Wait until loading is under way, so the stop lands mid-run.
  for (let i = 0; i < 300 && (await recordedLoads(record)).length < 2; i++) await sleep(100);
  return { cli, record, stateDir };
}

/** The summary line's counts: the CLI logs them at the end of every run. */
function summaryCounts(stderr: string): { extracted: number; loaded: number } {
  const m = /rows extracted ([\d,]+), transformed [\d,]+, loaded ([\d,]+)/.exec(stderr);
  if (!m) throw new Error(`no summary in: ${stderr}`);
  return { extracted: Number(m[1].replace(/,/g, '')), loaded: Number(m[2].replace(/,/g, '')) };
}

async function expectGracefulStop(cli: CliProcess, record: string): Promise<void> {
  const result = await cli.done;
  expect(result.code).toBe(130);
  expect(result.stderr).toMatch(/exited: test\.slow\.generated\.slow/);
  // FULL_TABLE: what was loaded went to staging; the summary must not suggest otherwise.
  expect(result.stderr).toMatch(/loaded [\d,]+ into staging; nothing was committed: FULL_TABLE replaces the target only when a run completes, so the target is unchanged/);
  expect(result.stderr).not.toMatch(/offset .* -> /);
  const counts = summaryCounts(result.stderr);
  expect(counts.extracted).toBeLessThan(1_000_000);
  expect(counts.loaded).toBe(counts.extracted);
  const loads = await recordedLoads(record);
  expect(loads.reduce((sum, l) => sum + l.rows, 0)).toBe(counts.extracted);
  expect(Math.max(...loads.map((l) => l.last))).toBe(counts.extracted);
}

describe('stopping a CLI run', () => {
  it('SIGTERM stops extraction, loads what is in flight and exits 130', async () => {
    await withTempDir(async (dir) => {
      const { cli, record } = await startSlowRun(dir);
      cli.kill('SIGTERM');
      await expectGracefulStop(cli, record);
    });
  });

  it('an exit file <state dir>/<pipeline_id>.exit does the same', async () => {
    await withTempDir(async (dir) => {
      const { cli, record, stateDir } = await startSlowRun(dir);
      await writeFile(join(stateDir, 'test.slow.generated.slow.exit'), '');
      await expectGracefulStop(cli, record);
    });
  });
});

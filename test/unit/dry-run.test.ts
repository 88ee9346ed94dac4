import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';

async function dryRun(dir: string, sourceBatch: number, targetBatch: number, buffered: number): Promise<string> {
  const file = join(dir, 'pipeline.json');
  await writeFile(file, JSON.stringify({
    source: { file: { path: 'in.csv', batch_size: sourceBatch } },
    target: { file: { path: join(dir, 'out'), batch_size: targetBatch } },
    replication_mode: 'FULL_TABLE',
    max_buffered_batches: buffered,
  }));
  const result = await runCli(['run', `--config=${file}`, '--dry-run']);
  expect(result.code).toBe(0);
  return result.stdout;
}

describe('--dry-run tells the real size of a load', () => {
  it('when max_buffered_batches cuts loads below the target batch_size, it says so and why', async () => {
    await withTempDir(async (dir) => {
      expect(await dryRun(dir, 10_000, 200_000, 8)).toMatch(
        /target: +file .*, batch_size 200000, but loads of up to 40000 rows: a load gathers at most max_buffered_batches \/ 2 = 4 source batches of 10000 rows/,
      );
    });
  });

  it('otherwise it shows the batch_size', async () => {
    await withTempDir(async (dir) => {
      const text = await dryRun(dir, 50_000, 100_000, 8);
      expect(text).toMatch(/target: +file .*, batch_size 100000\n/);
      expect(text).not.toMatch(/loads of up to/);
    });
  });
});

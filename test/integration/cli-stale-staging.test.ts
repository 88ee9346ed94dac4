import { describe, expect, it } from '@jest/globals';
import { readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { setTimeout as sleep } from 'node:timers/promises';
import { spawnCli } from '../support/cli.js';
import { REPO_ROOT, withTempDir } from '../support/pipeline.js';

const PLUGIN = join(REPO_ROOT, 'test', 'fixtures', 'connectors', 'plugin.ts');

async function writeConfig(dir: string, rows: number, delayMs: number, batch = 100): Promise<string> {
  const config = join(dir, `pipeline-${rows}.json`);
  await writeFile(config, JSON.stringify({
    source: { generated: { rows, batch_size: batch, delay_ms: delayMs } },
    transform: { add_op_fields: false },
    target: { file: { path: join(dir, 'out'), format: 'ndjson', batch_size: batch, concurrency: 1 } },
    replication_mode: 'FULL_TABLE',
    max_buffered_batches: 4,
  }));
  return config;
}

const staging = async (dir: string): Promise<string[]> => (await readdir(dir)).filter((name) => /^out\.(staging|old)-\d+$/.test(name));

describe('a FULL_TABLE file run stopped at once', () => {
  it('says what it left on the second Ctrl-C, and the next run removes it', async () => {
    await withTempDir(async (dir) => {
      const args = (config: string) => ['run', `--config=${config}`, `--plugin=${PLUGIN}`, `--state-dir=${join(dir, 'state')}`, '--progress=off'];
      // Loads of 20,000 rows: the graceful stop has batches in flight to load for far longer than
      // the 20 ms between the two Ctrl-Cs, however loaded the machine.
      const cli = spawnCli(args(await writeConfig(dir, 10_000_000, 10, 20_000)));
      let loading = false;
      for (let i = 0; i < 1200 && !loading; i++) {
        const [folder] = await staging(dir);
        loading = folder !== undefined && (await readdir(join(dir, folder))).some((f) => f.startsWith('part-'));
        if (!loading) await sleep(100);
      }
      expect(loading).toBe(true);
      cli.kill('SIGINT');
      await sleep(20);
      cli.kill('SIGINT');
      const stopped = await cli.done;
      expect(stopped.code).toBe(130);
      expect(stopped.stderr).toMatch(/stopped at once: loads in flight were cut off and nothing was committed; the target is unchanged\. Run \d+'s staging \(file: '<path>\.staging-\d+'.*\) is left behind; the next run of file\.out\.generated\.file removes it/);
      const left = await staging(dir);
      expect(left).toHaveLength(1);

      const next = await spawnCli(args(await writeConfig(dir, 300, 0))).done;
      expect(next.code).toBe(0);
      expect(next.stderr).toContain(`removed ${join(dir, left[0])}, left by an earlier run`);
      expect(await staging(dir)).toEqual([]);
      expect((await readdir(join(dir, 'out'))).filter((f) => f.endsWith('.ndjson'))).toHaveLength(3);
    });
  });
});

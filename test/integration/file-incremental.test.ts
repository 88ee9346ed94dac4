import { describe, expect, it } from '@jest/globals';
import { appendFile, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { duckdbRows } from '../support/parquet-readers.js';
import { withTempDir } from '../support/pipeline.js';

function rows(from: number, to: number): string {
  let text = '';
  for (let id = from; id <= to; id++) text += `${id},name ${id},${id}.5\n`;
  return text;
}

describe('file -> file through the CLI', () => {
  it('INCREMENTAL reads only rows past the recorded offset, and logs to a file', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'in.csv');
      const out = join(dir, 'out');
      const log = join(dir, 'run.log');
      const config = join(dir, 'pipeline.json');
      await writeFile(input, `id,name,amount\n${rows(1, 250)}`);
      await writeFile(config, JSON.stringify({
        source: { file: { path: input, key: 'id', batch_size: 40, columns: { id: 'int64', amount: 'decimal(10,1)' } } },
        target: { file: { path: out, batch_size: 100, concurrency: 2 } },
        replication_mode: 'INCREMENTAL',
        max_buffered_batches: 4,
      }));
      const argv = ['--source=file', '--target=file', `--config=${config}`, `--logs_to_file=${log}`, '--progress=off'];

      const first = await runCli(argv);
      expect(first.code).toBe(0);
      expect(JSON.parse(await readFile(join(out, '_fastlane_state.json'), 'utf8')).offset).toEqual({ $bigint: '250' });

      await appendFile(input, rows(251, 300));
      const second = await runCli(argv);
      expect(second.code).toBe(0);
      const logged = (await readFile(log, 'utf8')).trim().split('\n').map((line) => JSON.parse(line) as { message: string });
      const summaries = logged.filter((l) => l.message.startsWith('completed:')).map((l) => l.message);
      expect(summaries).toHaveLength(2);
      expect(summaries[0]).toMatch(/rows extracted 250, transformed 250, loaded 250/);
      expect(summaries[1]).toMatch(/rows extracted 50, transformed 50, loaded 50/);
      expect(summaries[1]).toMatch(/offset 250 -> 300/);

      const loaded = await duckdbRows(out, 'id');
      expect(loaded.map((r) => r.id)).toEqual(Array.from({ length: 300 }, (_, i) => BigInt(i + 1)));
      expect(loaded[299]).toMatchObject({ name: 'name 300', amount: '300.5', _op_type: 'i' });
      expect((await readdir(out)).filter((f) => f.endsWith('.parquet')).length).toBeGreaterThanOrEqual(4);
    });
  });

  it('FULL_TABLE replaces the folder only when the run succeeds', async () => {
    await withTempDir(async (dir) => {
      const input = join(dir, 'in.csv');
      const out = join(dir, 'out');
      const config = join(dir, 'pipeline.json');
      await writeFile(input, `id,name,amount\n${rows(1, 10)}`);
      await writeFile(config, JSON.stringify({ source: { file: { path: input, columns: { amount: 'decimal(10,1)' } } }, target: { file: { path: out } }, replication_mode: 'FULL_TABLE' }));
      expect((await runCli([`--config=${config}`, '--progress=off'])).code).toBe(0);
      expect(await duckdbRows(out, 'id')).toHaveLength(10);

      await appendFile(input, '11,bad,not-a-number\n');
      const failed = await runCli([`--config=${config}`, '--progress=off']);
      expect(failed.code).toBe(1);
      // The failed run left the previous table as it was, and no staging folder behind.
      expect(await duckdbRows(out, 'id')).toHaveLength(10);
      expect((await readdir(dir)).filter((f) => f.includes('staging'))).toEqual([]);
    });
  });
});

import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnCli, type CliProcess } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';
import { createTestDatabase, exactRows, mysqlSection, rowCount, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';

const ROWS = 12_000;
let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('crash');
  await createKeyedTable(db, 'src', Array.from({ length: ROWS }, (_, i) => i * 2 + 1));
}, 120_000);

afterAll(async () => {
  await db?.drop();
});

async function writeConfig(dir: string, mode: string, copy: string): Promise<string> {
  const file = join(dir, `${mode}.json`);
  await writeFile(file, JSON.stringify({
    replication_mode: mode,
    source: { mysql: mysqlSection(db.name, 'src', { batch_size: 200 }) },
    transform: { add_op_fields: false },
    target: { mysql: mysqlSection(db.name, copy, { batch_size: 200, concurrency: 4 }) },
  }));
  return file;
}

function start(config: string, dir: string): CliProcess {
  return spawnCli(['run', `--config=${config}`, `--state-dir=${dir}`]);
}

/** Polls until `reached` says so, then signals the CLI: SIGKILL by default (no cleanup runs). */
async function killWhen(cli: CliProcess, reached: () => Promise<boolean>, signal: NodeJS.Signals = 'SIGKILL'): Promise<number> {
  let finished = false;
  void cli.done.then(() => (finished = true));
  while (!finished && !(await reached().catch(() => false))) await new Promise((resolve) => setTimeout(resolve, 25));
  cli.kill(signal);
  return (await cli.done).code;
}

/** spawnCli's exit code for a process ended by a signal. */
const KILLED = 128;

/** The offset recorded for `copy`, or null when the offsets table or its row does not exist yet. */
async function recordedOffset(copy: string): Promise<number | null> {
  const tables = await db.query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '_fastlane_offsets'", [db.name]);
  if (tables.length === 0) return null;
  const rows = (await db.query('SELECT offset_json FROM _fastlane_offsets WHERE target_table = ?', [copy])) as { offset_json: string }[];
  return rows.length === 0 ? null : Number((JSON.parse(rows[0].offset_json) as { $bigint: string }).$bigint);
}

async function countUpTo(table: string, offset: number): Promise<number> {
  const rows = (await db.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE id <= ?`, [offset])) as { n: string }[];
  return Number(rows[0].n);
}

async function stagingRows(): Promise<number> {
  const names = (await db.query("SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '\\_fl\\_stage\\_%'", [db.name])) as { name: string }[];
  return names.length === 0 ? 0 : rowCount(db, db.name, names[0].name);
}

describe('interrupted runs into MySQL (kill -9, SIGINT)', () => {
  test('INCREMENTAL: killed at several points then re-run, the target equals the source', async () => {
    await withTempDir(async (dir) => {
      const config = await writeConfig(dir, 'INCREMENTAL', 'inc_copy');
      const points = [() => Promise.resolve(true), async () => (await rowCount(db, db.name, 'inc_copy')) > 0, async () => (await rowCount(db, db.name, 'inc_copy')) >= ROWS / 2];
      for (const reached of points) {
        expect(await killWhen(start(config, dir), reached)).toBe(KILLED);
        // The recorded offset never runs ahead of what is loaded: every key up to it is there. A
        // read that fails fails the test; only "no offset recorded yet" skips the comparison.
        const offset = await recordedOffset('inc_copy');
        if (offset !== null) expect(await countUpTo('inc_copy', offset)).toBe(await countUpTo('src', offset));
      }
      const final = await start(config, dir).done;
      expect(final.code).toBe(0);
      expect(await rowCount(db, db.name, 'inc_copy')).toBe(ROWS);
      expect(await exactRows(db, db.name, 'inc_copy')).toEqual(await exactRows(db, db.name, 'src'));
    });
  }, 180_000);

  test('INCREMENTAL: a graceful stop (SIGINT) records what is loaded; a re-run finishes the copy', async () => {
    await withTempDir(async (dir) => {
      const config = await writeConfig(dir, 'INCREMENTAL', 'stop_copy');
      expect(await killWhen(start(config, dir), async () => (await rowCount(db, db.name, 'stop_copy')) > 0, 'SIGINT')).toBe(130);
      const offset = await recordedOffset('stop_copy');
      expect(offset).not.toBeNull();
      expect(await countUpTo('stop_copy', offset as number)).toBe(await countUpTo('src', offset as number));
      expect((await start(config, dir).done).code).toBe(0);
      expect(await exactRows(db, db.name, 'stop_copy')).toEqual(await exactRows(db, db.name, 'src'));
    });
  }, 180_000);

  test('FULL_TABLE: killed mid-run, the old table is intact; a re-run replaces it', async () => {
    await createKeyedTable(db, 'full_copy', [5, 6, 7]);
    const before = await exactRows(db, db.name, 'full_copy');
    await withTempDir(async (dir) => {
      const config = await writeConfig(dir, 'FULL_TABLE', 'full_copy');
      expect(await killWhen(start(config, dir), async () => (await stagingRows()) > 0)).toBe(KILLED);
      expect(await exactRows(db, db.name, 'full_copy')).toEqual(before);
      const final = await start(config, dir).done;
      expect(final.code).toBe(0);
      expect(await exactRows(db, db.name, 'full_copy')).toEqual(await exactRows(db, db.name, 'src'));
      expect(await stagingRows()).toBe(0);
    });
  }, 180_000);
});

import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { migrateDatabase } from '../../src/db/migrate.js';
import { createTestDatabase, queryDatabase, type TestDatabase } from './database.js';

const TABLES = "SELECT table_name FROM information_schema.tables WHERE table_schema = 'public' AND table_name LIKE 'pipeline%' ORDER BY 1";

describe('migrations', () => {
  let db: TestDatabase;
  beforeAll(async () => { db = await createTestDatabase(); });
  afterAll(async () => { await db.drop(); });

  const tables = async () => (await queryDatabase(db.url, TABLES)).map((r) => r.table_name);

  it('go up on an empty database, step back one at a time, and up again', async () => {
    expect(await migrateDatabase(db.url)).toMatchObject({ from: 0, to: 2 });
    expect(await tables()).toEqual(['pipeline', 'pipeline_log', 'pipeline_memory_usage', 'pipeline_queue_depth', 'pipeline_rows_loaded', 'pipeline_rps', 'pipeline_run']);
    expect(await migrateDatabase(db.url)).toMatchObject({ from: 2, to: 2, applied: [] });
    expect(await migrateDatabase(db.url, 'previous')).toMatchObject({ from: 2, to: 1 });
    expect(await tables()).toEqual(['pipeline', 'pipeline_memory_usage', 'pipeline_rps', 'pipeline_run']);
    expect(await migrateDatabase(db.url, '0')).toMatchObject({ from: 1, to: 0 });
    expect(await tables()).toEqual([]);
    expect(await migrateDatabase(db.url)).toMatchObject({ from: 0, to: 2 });
  });

  it('names the database without its password when it cannot connect', async () => {
    await expect(migrateDatabase('postgres://someone:pw123@127.0.0.1:1/nothing')).rejects.toMatchObject({
      code: 'FL_CONNECT',
      message: expect.stringContaining('someone:***@127.0.0.1:1'),
    });
  });
});

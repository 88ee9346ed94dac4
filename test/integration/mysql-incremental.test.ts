import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runConfig } from '../support/pipeline.js';
import { createTestDatabase, exactRows, mysqlSection, rowCount, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('inc');
});

afterAll(async () => {
  await db?.drop();
});

function incremental(table: string, copy: string, concurrency: number): Record<string, unknown> {
  return {
    replication_mode: 'INCREMENTAL',
    source: { mysql: mysqlSection(db.name, table, { batch_size: 7, offset: -1 }) },
    transform: { add_op_fields: false },
    target: { mysql: mysqlSection(db.name, copy, { batch_size: 7, concurrency }) },
  };
}

async function recordedOffset(copy: string): Promise<unknown> {
  const rows = (await db.query('SELECT offset_json FROM _fastlane_offsets WHERE target_table = ?', [copy])) as { offset_json: string }[];
  return rows.length === 0 ? null : JSON.parse(rows[0].offset_json);
}

describe('MySQL -> MySQL, INCREMENTAL', () => {
  const numeric = { type: 'INT UNSIGNED', key: (i: number) => i * 3 + 1, offset: (k: number | string) => ({ $bigint: String(k) }) };
  const text = { type: 'VARCHAR(20)', key: (i: number) => `key-${String(i * 3 + 1).padStart(5, '0')}`, offset: (k: number | string) => k };

  test.each([
    [1, 'numeric', numeric],
    [4, 'numeric', numeric],
    [2, 'text', text],
  ])('a re-run reads only the new rows (target concurrency %i, %s keys)', async (concurrency, _kind, keys) => {
    const table = `inc_src_${concurrency}_${keys.type.replace(/\W/g, '')}`;
    const copy = `inc_copy_${concurrency}_${keys.type.replace(/\W/g, '')}`;
    await createKeyedTable(db, table, Array.from({ length: 60 }, (_, i) => keys.key(i)), keys.type);
    const first = await runConfig(incremental(table, copy, concurrency));
    expect(first.error).toBeUndefined();
    expect(first.rowsExtracted).toBe(60);
    expect(await recordedOffset(copy)).toEqual(keys.offset(keys.key(59)));
    const added = [keys.key(500), keys.key(501), keys.key(700)];
    await db.query(`INSERT INTO \`${table}\` (id, label, amount) VALUES (?, 'new', 1.5), (?, 'new', NULL), (?, NULL, -2)`, added);
    const second = await runConfig(incremental(table, copy, concurrency));
    expect(second.error).toBeUndefined();
    expect(second.startOffset).toBe(String(keys.key(59)));
    expect(second.rowsExtracted).toBe(3);
    expect(await exactRows(db, db.name, copy)).toEqual(await exactRows(db, db.name, table));
    expect(await recordedOffset(copy)).toEqual(keys.offset(keys.key(700)));
    const third = await runConfig(incremental(table, copy, concurrency));
    expect(third.rowsExtracted).toBe(0);
    expect(await rowCount(db, db.name, copy)).toBe(63);
  }, 120_000);
});

describe('MySQL -> MySQL, FULL_TABLE failure', () => {
  test('a failed run leaves the previous table untouched and no staging table behind', async () => {
    await createKeyedTable(db, 'full_src', [1, 2, 3, 4, 5, 6]);
    await db.query("UPDATE full_src SET label = 'a label longer than the target column' WHERE id = 5");
    await db.query('CREATE TABLE full_copy (id INT UNSIGNED NOT NULL PRIMARY KEY, label VARCHAR(10), amount DECIMAL(10,3))');
    await db.query("INSERT INTO full_copy VALUES (100, 'old', 1.000), (200, 'old', 2.000)");
    const before = await exactRows(db, db.name, 'full_copy');
    const summary = await runConfig({
      source: { mysql: mysqlSection(db.name, 'full_src', { batch_size: 2 }) },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, 'full_copy', { batch_size: 2, concurrency: 2 }) },
    });
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('FL_TARGET');
    expect(summary.error?.message).toMatch(/full_copy/);
    expect(await exactRows(db, db.name, 'full_copy')).toEqual(before);
    const leftovers = await db.query("SELECT TABLE_NAME FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME LIKE '\\_fl\\_%'", [db.name]);
    expect(leftovers).toEqual([]);
  });
});

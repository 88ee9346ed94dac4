import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { runConfig } from '../support/pipeline.js';
import { createTestDatabase, exactRows, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';
import { FaultProxy } from '../servers/fault-proxy.js';

/**
 * The target's connections lost mid-load: killed by the server or cut by the network once a fixed
 * number of bytes has gone up to it (LOAD DATA streams the rows up), so the fault lands inside a
 * load. The load is retried on a new connection; REPLACE in one transaction makes it idempotent.
 */
const ROWS = 20_000;
const LOAD = 1000;
/** A load of 1,000 rows is ~30 kB: this lands inside the third or fourth. */
const FAULT_AFTER_BYTES = 100_000;
let db: TestDatabase;
let proxy: FaultProxy | null = null;
let copies = 0;

beforeAll(async () => {
  db = await createTestDatabase('tgtfault');
  await createKeyedTable(db, 'src', Array.from({ length: ROWS }, (_, i) => i * 2 + 1));
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await db?.drop();
});

async function killThrough(through: FaultProxy): Promise<void> {
  const hosts = through.upstreamPorts().map((port) => `127.0.0.1:${port}`);
  const rows = (await db.query('SELECT ID AS id, HOST AS host FROM information_schema.PROCESSLIST')) as { id: number; host: string }[];
  for (const row of rows.filter((r) => hosts.includes(r.host))) await db.query(`KILL CONNECTION ${Number(row.id)}`).catch(() => undefined);
}

describe('MySQL target: connection lost mid-load', () => {
  test.each([
    ['FULL_TABLE', 'killed'],
    ['INCREMENTAL', 'killed'],
    ['INCREMENTAL', 'cut'],
  ])('%s, connections %s: the load is retried idempotently, rows equal', async (mode, fault) => {
    await proxy?.stop();
    const through = await FaultProxy.start({ targetPort: 3306 });
    proxy = through;
    const copy = `copy_${copies++}`;
    let faulted: Promise<void> | null = null;
    through.after('up', FAULT_AFTER_BYTES, () => {
      faulted = fault === 'killed' ? killThrough(through) : Promise.resolve(through.fault('cut'));
    });
    const summary = await runConfig({
      replication_mode: mode,
      source: { mysql: mysqlSection(db.name, 'src', { batch_size: LOAD }) },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, copy, { port: through.port, batch_size: LOAD, concurrency: 2, retry: { backoff_initial_ms: 20 } }) },
    });
    await faulted;
    expect(faulted).not.toBeNull();
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    expect(summary.rowsLoaded).toBe(ROWS);
    // More connections than the run's three (main thread + two workers): some were opened again.
    expect(through.accepted).toBeGreaterThan(3);
    expect(await exactRows(db, db.name, copy)).toEqual(await exactRows(db, db.name, 'src'));
  }, 180_000);
});

describe('MySQL target: a connection that goes silent mid-load', () => {
  test('the load times out, the stalled session is killed, the load is done again on a new connection: rows equal', async () => {
    await proxy?.stop();
    const through = await FaultProxy.start({ targetPort: 3306 });
    proxy = through;
    const copy = `copy_${copies++}`;
    let stalled = false;
    through.after('up', FAULT_AFTER_BYTES, () => {
      stalled = true;
      through.fault('stall');
    });
    const summary = await runConfig({
      replication_mode: 'INCREMENTAL',
      source: { mysql: mysqlSection(db.name, 'src', { batch_size: LOAD }) },
      transform: { add_op_fields: false },
      target: { mysql: mysqlSection(db.name, copy, { port: through.port, batch_size: LOAD, concurrency: 2, query_timeout_ms: 3000, retry: { backoff_initial_ms: 20 } }) },
    });
    expect(stalled).toBe(true);
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    expect(await exactRows(db, db.name, copy)).toEqual(await exactRows(db, db.name, 'src'));
  }, 180_000);
});

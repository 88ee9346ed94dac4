import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { spawnCli } from '../support/cli.js';
import { runConfig, withTempDir } from '../support/pipeline.js';
import { createTestDatabase, exactRows, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';
import { FaultProxy } from '../servers/fault-proxy.js';

/**
 * The source's connection lost mid-run: killed by the server (KILL CONNECTION from another
 * session), cut by the network, or gone silent. The faults land at a fixed byte count of what the
 * server sent, so each run breaks at the same place. Hang guards are jest's timeouts only.
 */
const ROWS = 20_000;
const PAGE = 500;
/** After a few pages (a page of 500 rows is ~15 kB), well before the end (~600 kB). */
const FAULT_AFTER_BYTES = 60_000;
let db: TestDatabase;
let proxy: FaultProxy;
let copies = 0;

beforeAll(async () => {
  db = await createTestDatabase('srcfault');
  await createKeyedTable(db, 'src', Array.from({ length: ROWS }, (_, i) => i * 3 + 1));
}, 120_000);

afterAll(async () => {
  await proxy?.stop();
  await db?.drop();
});

async function freshProxy(): Promise<FaultProxy> {
  await proxy?.stop();
  proxy = await FaultProxy.start({ targetPort: 3306 });
  return proxy;
}

function config(mode: string, copy: string, source: Record<string, unknown> = {}) {
  return {
    replication_mode: mode,
    source: { mysql: mysqlSection(db.name, 'src', { port: proxy.port, batch_size: PAGE, retry: { backoff_initial_ms: 20 }, ...source }) },
    transform: { add_op_fields: false },
    target: { mysql: mysqlSection(db.name, copy, { batch_size: PAGE, concurrency: 2 }) },
  };
}

async function expectCopied(copy: string): Promise<void> {
  expect(await exactRows(db, db.name, copy)).toEqual(await exactRows(db, db.name, 'src'));
}

/** KILL CONNECTION, from the test's own session, of every connection the proxy holds to the server. */
async function killProxiedConnections(): Promise<void> {
  const hosts = proxy.upstreamPorts().map((port) => `127.0.0.1:${port}`);
  const rows = (await db.query('SELECT ID AS id, HOST AS host FROM information_schema.PROCESSLIST')) as { id: number; host: string }[];
  for (const row of rows.filter((r) => hosts.includes(r.host))) await db.query(`KILL CONNECTION ${Number(row.id)}`);
}

describe('MySQL source: connection lost mid-run', () => {
  test.each(['FULL_TABLE', 'INCREMENTAL'])('KILL CONNECTION of the source (%s): it reconnects, resumes after the last key handed on, rows equal', async (mode) => {
    await freshProxy();
    const copy = `killed_${copies++}`;
    let killing: Promise<void> | null = null;
    proxy.after('down', FAULT_AFTER_BYTES, () => {
      killing = killProxiedConnections();
    });
    const summary = await runConfig(config(mode, copy));
    await killing;
    expect(killing).not.toBeNull();
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    expect(proxy.accepted).toBeGreaterThan(1);
    expect(summary.rowsLoaded).toBe(ROWS);
    await expectCopied(copy);
  }, 180_000);

  test('connections cut by the network (partitioned FULL_TABLE read): every range resumes, rows equal', async () => {
    await freshProxy();
    const copy = `cut_${copies++}`;
    proxy.after('down', FAULT_AFTER_BYTES, () => proxy.fault('cut'));
    const summary = await runConfig(config('FULL_TABLE', copy, { partitions: 3 }));
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    expect(proxy.accepted).toBeGreaterThan(3);
    await expectCopied(copy);
  }, 180_000);

  test('a connection that goes silent mid-page: the read times out, is read again on a new connection, rows equal', async () => {
    await freshProxy();
    const copy = `stalled_${copies++}`;
    proxy.after('down', FAULT_AFTER_BYTES, () => proxy.fault('stall'));
    const summary = await runConfig(config('INCREMENTAL', copy, { query_timeout_ms: 1000 }));
    expect(summary.error).toBeUndefined();
    expect(summary.status).toBe('completed');
    await expectCopied(copy);
  }, 180_000);
});

describe('MySQL source: retries are bounded', () => {
  test('a server that stays down: the CLI fails after retry.attempts tries, with the cause, exit 1', async () => {
    await freshProxy();
    proxy.after('down', FAULT_AFTER_BYTES, () => {
      proxy.refuseNew = true;
      proxy.fault('cut');
    });
    await withTempDir(async (dir) => {
      const file = join(dir, 'down.json');
      await writeFile(file, JSON.stringify(config('INCREMENTAL', `down_${copies++}`, { retry: { attempts: 3, backoff_initial_ms: 20 } })));
      const result = await spawnCli(['run', `--config=${file}`, `--state-dir=${dir}`]).done;
      expect(result.code).toBe(1);
      expect(result.stderr + result.stdout).toMatch(/FL_CONNECT.*source\.mysql: .* failed 3 time\(s\)/);
      expect(result.stderr + result.stdout).toMatch(/cannot reach MySQL|PROTOCOL_CONNECTION_LOST|closed/);
    });
  }, 180_000);

  test('a server that stops answering (no close): the run fails with FL_TIMEOUT, exit 1, instead of hanging', async () => {
    await freshProxy();
    proxy.after('down', FAULT_AFTER_BYTES, () => {
      proxy.stallNew = true;
      proxy.fault('stall');
    });
    await withTempDir(async (dir) => {
      const file = join(dir, 'silent.json');
      const source = { query_timeout_ms: 1000, connect_timeout_ms: 1000, retry: { attempts: 2, backoff_initial_ms: 20 } };
      await writeFile(file, JSON.stringify(config('INCREMENTAL', `silent_${copies++}`, source)));
      const result = await spawnCli(['run', `--config=${file}`, `--state-dir=${dir}`]).done;
      expect(result.code).toBe(1);
      expect(result.stderr + result.stdout).toMatch(/source\.mysql: .* failed 2 time\(s\)/);
      expect(result.stderr + result.stdout).toMatch(/ETIMEDOUT|did not finish within 1000 ms/);
    });
  }, 180_000);
});

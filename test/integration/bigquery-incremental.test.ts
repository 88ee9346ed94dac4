import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfig, withTempDir } from '../support/pipeline.js';
import { duckdbRows } from '../support/parquet-readers.js';
import { startBigQueryServer, type BigQueryTestServer } from '../servers/bigquery.js';
import { CLIENT_EMAIL, isolateNetwork, keyedTable, testKey, writeKeyFile } from '../support/bigquery-fixtures.js';
import { serverSection } from '../support/bigquery-env.js';

let server: BigQueryTestServer;
let dir: string;
let keyFile: string;

beforeAll(async () => {
  isolateNetwork();
  const key = testKey();
  server = await startBigQueryServer({ clientEmail: CLIENT_EMAIL, publicKey: key.publicKey, tables: {} });
  dir = await mkdtemp(join(tmpdir(), 'fastlane-bq-inc-'));
  keyFile = await writeKeyFile(dir, key, server.tokenUri);
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

function incremental(table: string, key: string, folder: string) {
  return runConfig({
    source: { bigquery: serverSection(server, keyFile, table, { key, batch_size: 4, concurrency: 3 }) },
    transform: { add_op_fields: false },
    target: { file: { path: folder, format: 'parquet', concurrency: 2, batch_size: 5 } },
    replication_mode: 'INCREMENTAL',
  });
}

describe('BigQuery INCREMENTAL by key', () => {
  test.each([
    ['an INT64 key', 'id', 'INT64', '25'],
    ['a TIMESTAMP key', 'at', 'TIMESTAMP', '1970-01-01T00:00:20.000025Z'],
  ])('%s: the second run reads only the rows above the loaded offset, bound as a parameter', async (_label, key, parameterType, offset) => {
    const name = `events_${key}`;
    server.tables.set(`test-project.ds.${name}`, keyedTable(1, 25));
    await withTempDir(async (out) => {
      const folder = join(out, 'events');
      const first = await incremental(name, key, folder);
      expect(first.error).toBeUndefined();
      expect(first.rowsLoaded).toBe(25);
      expect(first.endOffset).toBe(offset);

      server.tables.get(`test-project.ds.${name}`)?.rows.push(...keyedTable(26, 15).rows);
      const before = server.requests.length;
      const second = await incremental(name, key, folder);
      expect(second.error).toBeUndefined();
      expect(second.rowsLoaded).toBe(15);

      const query = server.requests.slice(before).find((r) => r.method === 'POST' && r.path.endsWith('/queries'));
      expect(query?.body?.query).toBe(`SELECT * FROM \`test-project.ds.${name}\` WHERE \`${key}\` > @start ORDER BY \`${key}\``);
      expect(query?.body?.queryParameters).toEqual([{ name: 'start', parameterType: { type: parameterType }, parameterValue: { value: offset } }]);
      const rows = await duckdbRows(folder, 'id');
      expect(rows.map((r) => r.id)).toEqual(Array.from({ length: 40 }, (_, i) => BigInt(i + 1)));
    });
  });

  test('a FULL_TABLE run with a key reads in key order through a query, whatever order the table holds', async () => {
    const shuffled = keyedTable(1, 9);
    shuffled.rows.reverse();
    server.tables.set('test-project.ds.shuffled', shuffled);
    await withTempDir(async (out) => {
      const summary = await runConfig({
        source: { bigquery: serverSection(server, keyFile, 'shuffled', { key: 'id', batch_size: 2 }) },
        transform: { add_op_fields: false },
        target: { file: { path: join(out, 'p'), format: 'parquet', batch_size: 100 } },
      });
      expect(summary.error).toBeUndefined();
      expect(summary.endOffset).toBe('9');
      expect((await duckdbRows(join(out, 'p'), 'id')).map((r) => r.name)).toEqual(Array.from({ length: 9 }, (_, i) => `row ${i + 1}`));
    });
  });
});

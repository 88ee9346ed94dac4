import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runConfig, withTempDir } from '../support/pipeline.js';
import { duckdbRows, hyparquetRows, hyparquetSchema, parquetFiles } from '../support/parquet-readers.js';
import { rawDecimals, unscaled } from '../support/mysql-parquet.js';
import { startBigQueryServer, type BigQueryTestServer } from '../servers/bigquery.js';
import { ALL_TYPES_ROWS, CLIENT_EMAIL, allTypesTable, isolateNetwork, testKey, writeKeyFile } from '../support/bigquery-fixtures.js';
import { realBigQuery, serverSection } from '../support/bigquery-env.js';
import { RealBigQueryTables } from '../support/bigquery-real.js';

let server: BigQueryTestServer;
let dir: string;
let keyFile: string;
const real = realBigQuery();

/** Where the suite reads from: the test server always, the real BigQuery when FASTLANE_TEST_BIGQUERY_* are set. */
interface Backend {
  readonly name: string;
  /** False where BigQuery normalizes what it stores (GEOGRAPHY text, JSON spacing). */
  readonly exact: boolean;
  section(extra: Record<string, unknown>): Record<string, unknown>;
  query(): string;
  setup(): Promise<void>;
  teardown(): Promise<void>;
}

const testServer: Backend = {
  name: 'test server',
  exact: true,
  section: (extra) => serverSection(server, keyFile, 'all_types', extra),
  query: () => 'SELECT * FROM `test-project.ds.all_types`',
  setup: async () => undefined,
  teardown: async () => undefined,
};

function realBackend(): Backend[] {
  if (!real) return [];
  const table = `fastlane_roundtrip_${process.pid}_${Date.now()}`;
  const tables = new RealBigQueryTables(real);
  return [{
    name: 'BigQuery',
    exact: false,
    section: (extra) => ({ gcp_project: real.project, dataset_id: real.dataset, table_id: table, credentials_file: real.credentialsFile, ...extra }),
    query: () => `SELECT * FROM \`${real.project}.${real.dataset}.${table}\``,
    setup: () => tables.create(table, allTypesTable()),
    teardown: () => tables.drop(table),
  }];
}

beforeAll(async () => {
  // The real BigQuery is reached over HTTPS; otherwise nothing may leave loopback.
  if (!real) isolateNetwork();
  const key = testKey();
  // Every third row request fails with 503: the client retries it.
  server = await startBigQueryServer({ clientEmail: CLIENT_EMAIL, publicKey: key.publicKey, tables: { 'test-project.ds.all_types': allTypesTable() }, failEvery: 3 });
  dir = await mkdtemp(join(tmpdir(), 'fastlane-bq-'));
  keyFile = await writeKeyFile(dir, key, server.tokenUri);
});

afterAll(async () => {
  await server?.close();
  await rm(dir, { recursive: true, force: true });
});

/** DuckDB prints TIME values as text: the expected microseconds in that form. */
function timeText(micros: bigint): string {
  const seconds = Number(micros / 1_000_000n);
  const fraction = (micros % 1_000_000n).toString().padStart(6, '0').replace(/0+$/, '');
  const clock = [Math.floor(seconds / 3600), Math.floor(seconds / 60) % 60, seconds % 60].map((n) => String(n).padStart(2, '0')).join(':');
  return fraction ? `${clock}.${fraction}` : clock;
}

const WIDE = 'bignum';

function expectedRow(want: Record<string, unknown>, exact: boolean): Record<string, unknown> {
  const row: Record<string, unknown> = { ...want };
  delete row[WIDE];
  if (row.t !== null) row.t = timeText(row.t as bigint);
  return exact ? row : normalized(row);
}

/** GEOGRAPHY and JSON as BigQuery may rewrite them: present or not, and the parsed document. */
function normalized(row: Record<string, unknown>): Record<string, unknown> {
  const parsed = (text: unknown) => (text === null ? null : JSON.parse(text as string) as unknown);
  return { ...row, g: row.g === null ? null : 'geography', j: parsed(row.j), rec: parsed(row.rec), tags: parsed(row.tags) };
}

async function copyToParquet(section: Record<string, unknown>, folder: string) {
  const summary = await runConfig({
    source: { bigquery: section },
    transform: { add_op_fields: false },
    target: { file: { path: folder, format: 'parquet', concurrency: 2, batch_size: 2 } },
  });
  expect(summary.error).toBeUndefined();
  expect(summary.status).toBe('completed');
  expect(summary.rowsLoaded).toBe(ALL_TYPES_ROWS.length);
}

async function expectEveryValue(folder: string, exact: boolean): Promise<void> {
  const rows = await duckdbRows(folder, 'id');
  // DuckDB reads a 76-digit decimal as a double: that column is checked from its bytes below.
  const read = rows.map((r) => { const { [WIDE]: _, ...rest } = r; return exact ? rest : normalized(rest); });
  expect(read).toEqual(ALL_TYPES_ROWS.map((r) => expectedRow(r.want, exact)));
  const wide = new Map<bigint, bigint | null>();
  for (const file of await parquetFiles(folder)) {
    const ids = (await hyparquetRows(file)).map((r) => r.id as bigint);
    (await rawDecimals(file, WIDE)).forEach((value, i) => wide.set(ids[i], value));
  }
  for (const { want } of ALL_TYPES_ROWS) {
    expect(wide.get(want.id as bigint)).toEqual(want[WIDE] === null ? null : unscaled(want[WIDE] as string, 38));
  }
}

describe.each([testServer, ...realBackend()])('BigQuery ($name) -> Parquet file, every type', (backend) => {
  beforeAll(() => backend.setup(), 180_000);
  afterAll(() => backend.teardown(), 180_000);

  test.each([1, 3])('a table read by tabledata.list, %i pages at once, every value and type exact', async (concurrency) => {
    await withTempDir(async (out) => {
      const folder = join(out, 'parquet');
      await copyToParquet(backend.section({ batch_size: 2, concurrency }), folder);
      await expectEveryValue(folder, backend.exact);
      const schema = await hyparquetSchema((await parquetFiles(folder))[0]);
      expect(schema.num.logical_type).toMatchObject({ type: 'DECIMAL', precision: 38, scale: 9 });
      expect(schema.bignum.logical_type).toMatchObject({ type: 'DECIMAL', precision: 76, scale: 38 });
      expect(schema.ts.logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MICROS' });
      expect(schema.dt.logical_type).toMatchObject({ type: 'TIMESTAMP', isAdjustedToUTC: false, unit: 'MICROS' });
      expect(schema.t.logical_type).toMatchObject({ type: 'TIME', unit: 'MICROS' });
      expect(schema.i64.type).toBe('INT64');
    });
  });

  test('a query read by jobs.query and getQueryResults pages', async () => {
    await withTempDir(async (out) => {
      const folder = join(out, 'parquet');
      const { dataset_id: _d, table_id: _t, ...section } = backend.section({ batch_size: 2, concurrency: 2 });
      await copyToParquet({ ...section, query: backend.query() }, folder);
      await expectEveryValue(folder, backend.exact);
    });
  });
});

describe('the test server saw', () => {
  test('tokens come from the key file\'s token_uri, row pages ask for int64 timestamps, 503 answers were retried', () => {
    expect(server.failures()).toBeGreaterThan(0);
    expect(server.requests.some((r) => r.method === 'POST' && r.path.endsWith('/queries'))).toBe(true);
    expect(server.requests.filter((r) => r.path === '/token').length).toBeGreaterThan(0);
    const rowRequests = server.requests.filter((r) => r.path.endsWith('/data'));
    expect(rowRequests.length).toBeGreaterThan(0);
    expect(rowRequests.every((r) => r.query['formatOptions.useInt64Timestamp'] === 'true')).toBe(true);
  });
});

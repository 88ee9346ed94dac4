import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { GetObjectCommand, ListObjectsV2Command, type S3Client } from '@aws-sdk/client-s3';
import { parquetReadObjects } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { spawnCli } from '../support/cli.js';
import { KILLED, killWhen } from '../support/kill.js';
import { withTempDir } from '../support/pipeline.js';
import { seededRandom, withSeed, type Seeded } from '../support/seeded.js';
import { createTestDatabase, exactRows, mysqlSection, rowCount, type TestDatabase } from '../support/mysql-db.js';
import { createKeyedTable } from '../support/mysql-fixtures.js';
import { S3RVER_CREDENTIALS, startS3rver, type LocalS3 } from '../support/s3rver.js';

/**
 * kill -9 of the CLI at seeded random points of INCREMENTAL runs, each followed by a run to the
 * end: every row of the source arrives once, none is lost, none is counted twice. Each round adds
 * rows to the source first, so every killed run starts from the offset an earlier run recorded.
 */
const ROUNDS = 10;
const ROUND_ROWS = 2400;
const BATCH = 200;
const BUCKET = 'fastlane-kill';
const random: Seeded = seededRandom();
let db: TestDatabase;
let s3: LocalS3;
let client: S3Client;

beforeAll(async () => {
  db = await createTestDatabase('kill');
  await createKeyedTable(db, 'src_mysql', []);
  await createKeyedTable(db, 'src_s3', []);
  s3 = await startS3rver([BUCKET]);
  client = s3.client();
}, 120_000);

afterAll(async () => {
  client?.destroy();
  await s3?.stop();
  await db?.drop();
});

/** Appends ROUND_ROWS rows with keys after every existing one (odd keys, so key != row number). */
async function growSource(table: string): Promise<void> {
  const [{ top }] = (await db.query(`SELECT COALESCE(MAX(id), 0) AS top FROM \`${table}\``)) as { top: string | number }[];
  const first = Number(top) + 1;
  for (let at = 0; at < ROUND_ROWS; at += 500) {
    const keys = Array.from({ length: Math.min(500, ROUND_ROWS - at) }, (_, i) => first + (at + i) * 2);
    await db.query(`INSERT INTO \`${table}\` (id, label, amount) VALUES ${keys.map(() => '(?, ?, ?)').join(', ')}`,
      keys.flatMap((key) => [key, `row ${key} 😀 'q' \`b\``, (key / 8).toFixed(3)]));
  }
}

async function writeConfig(dir: string, name: string, source: string, target: Record<string, unknown>): Promise<string> {
  const file = join(dir, `${name}.json`);
  await writeFile(file, JSON.stringify({
    replication_mode: 'INCREMENTAL',
    source: { mysql: mysqlSection(db.name, source, { batch_size: BATCH }) },
    transform: { add_op_fields: false },
    target,
  }));
  return file;
}

/**
 * One round: a run killed once `progressed` (given the progress seen before it started) reaches
 * the seeded point, the invariant the kill must keep, then a run to the end and the full check.
 */
async function killAndResume(config: string, dir: string, point: number, hooks: {
  progress(): Promise<number>;
  afterKill(): Promise<void>;
  afterResume(): Promise<void>;
}): Promise<void> {
  const before = await hooks.progress();
  const code = await killWhen(spawnCli(['run', `--config=${config}`, `--state-dir=${dir}`, '--progress=off'], {}, { built: true }), async () => (await hooks.progress()) >= before + point);
  // A run that finished before the kill landed is a point past the end; anything else is a failure.
  expect([KILLED, 0]).toContain(code);
  await hooks.afterKill();
  const resumed = await spawnCli(['run', `--config=${config}`, `--state-dir=${dir}`, '--progress=off'], {}, { built: true }).done;
  expect({ code: resumed.code, stderr: resumed.stderr }).toEqual({ code: 0, stderr: expect.any(String) });
  await hooks.afterResume();
}

async function mysqlOffset(table: string): Promise<number | null> {
  const tables = await db.query("SELECT 1 FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND TABLE_NAME = '_fastlane_offsets'", [db.name]);
  if (tables.length === 0) return null;
  const rows = (await db.query('SELECT offset_json FROM _fastlane_offsets WHERE target_table = ?', [table])) as { offset_json: string }[];
  return rows.length === 0 ? null : Number((JSON.parse(rows[0].offset_json) as { $bigint: string }).$bigint);
}

async function countUpTo(table: string, offset: number): Promise<number> {
  const rows = (await db.query(`SELECT COUNT(*) AS n FROM \`${table}\` WHERE id <= ?`, [offset])) as { n: string }[];
  return Number(rows[0].n);
}

interface SourceRow { id: string; label: string; amount: string }

async function sourceRows(table: string, upTo = Number.MAX_SAFE_INTEGER): Promise<SourceRow[]> {
  const rows = (await db.query(`SELECT id, label, amount FROM \`${table}\` WHERE id <= ? ORDER BY id`, [upTo])) as { id: number; label: string; amount: string }[];
  return rows.map((r) => ({ id: String(r.id), label: r.label, amount: r.amount }));
}

async function s3Keys(prefix: string): Promise<string[]> {
  const keys: string[] = [];
  let token: string | undefined;
  do {
    const page = await client.send(new ListObjectsV2Command({ Bucket: BUCKET, Prefix: prefix, ContinuationToken: token }));
    keys.push(...(page.Contents ?? []).map((o) => o.Key!));
    token = page.IsTruncated ? page.NextContinuationToken : undefined;
  } while (token);
  return keys;
}

async function s3Bytes(key: string): Promise<Uint8Array | null> {
  try {
    return await (await client.send(new GetObjectCommand({ Bucket: BUCKET, Key: key }))).Body!.transformToByteArray();
  } catch (error) {
    if ((error as Error).name === 'NoSuchKey') return null;
    throw error;
  }
}

async function s3Offset(table: string): Promise<number | null> {
  const bytes = await s3Bytes(`${table}/_fastlane_manifest.json`);
  if (bytes === null) return null;
  const offset = (JSON.parse(Buffer.from(bytes).toString('utf8')) as { offset: { $bigint: string } | null }).offset;
  return offset === null ? null : Number(offset.$bigint);
}

/** Every row of every Parquet object under the table, sorted by id: a row twice shows as two entries. */
async function s3Rows(table: string): Promise<SourceRow[]> {
  const rows: SourceRow[] = [];
  for (const key of (await s3Keys(`${table}/`)).filter((k) => k.endsWith('.parquet'))) {
    const bytes = await s3Bytes(key);
    if (bytes === null) continue;
    const file = bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer;
    const read = (await parquetReadObjects({ file, compressors, columns: ['id', 'label', 'amount'] })) as { id: number | bigint; label: string; amount: number }[];
    rows.push(...read.map((r) => ({ id: String(r.id), label: r.label, amount: Number(r.amount).toFixed(3) })));
  }
  return rows.sort((a, b) => Number(a.id) - Number(b.id));
}

describe(`kill -9 at ${ROUNDS} seeded random points of INCREMENTAL runs (seed ${random.seed})`, () => {
  test('into MySQL: after each kill the recorded offset is loaded; each re-run makes the target equal the source', async () => {
    await withSeed(random, () => withTempDir(async (dir) => {
      const config = await writeConfig(dir, 'mysql', 'src_mysql', { mysql: mysqlSection(db.name, 'copy', { batch_size: BATCH, concurrency: 3 }) });
      for (let round = 0; round < ROUNDS; round++) {
        await growSource('src_mysql');
        const point = random.below(ROUND_ROWS);
        await killAndResume(config, dir, point, {
          progress: () => rowCount(db, db.name, 'copy').catch(() => 0),
          async afterKill() {
            const offset = await mysqlOffset('copy');
            if (offset !== null) expect({ round, point, loaded: await countUpTo('copy', offset) }).toEqual({ round, point, loaded: await countUpTo('src_mysql', offset) });
          },
          async afterResume() {
            expect(await rowCount(db, db.name, 'copy')).toBe((round + 1) * ROUND_ROWS);
            expect(await exactRows(db, db.name, 'copy')).toEqual(await exactRows(db, db.name, 'src_mysql'));
          },
        });
      }
    }));
  }, 3_600_000);

  test('into S3: objects beyond the manifest offset are removed by the next run; each row is stored once', async () => {
    await withSeed(random, () => withTempDir(async (dir) => {
      const target = { s3: { bucket: BUCKET, table: 'kill', endpoint: s3.endpoint, force_path_style: true, ...S3RVER_CREDENTIALS, batch_size: BATCH, concurrency: 3 } };
      const config = await writeConfig(dir, 's3', 'src_s3', target);
      for (let round = 0; round < ROUNDS; round++) {
        await growSource('src_s3');
        const point = random.below(ROUND_ROWS / BATCH);
        await killAndResume(config, dir, point, {
          progress: async () => (await s3Keys('kill/')).filter((k) => k.endsWith('.parquet')).length,
          async afterKill() {
            // Every row up to the manifest's offset is stored exactly once; what lies beyond it is the next run's to clean.
            const offset = await s3Offset('kill');
            if (offset === null) return;
            const stored = (await s3Rows('kill')).filter((r) => Number(r.id) <= offset);
            expect({ round, point, stored }).toEqual({ round, point, stored: await sourceRows('src_s3', offset) });
          },
          async afterResume() {
            const stored = await s3Rows('kill');
            expect(stored.length).toBe((round + 1) * ROUND_ROWS);
            expect(stored).toEqual(await sourceRows('src_s3'));
            expect(await s3Offset('kill')).toBe(Number(stored[stored.length - 1].id));
          },
        });
      }
    }));
  }, 3_600_000);
});

import { generateKeyPairSync, type KeyObject } from 'node:crypto';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { FieldSchema, StoredTable } from '../servers/bigquery.js';

export const CLIENT_EMAIL = 'fastlane-test@test-project.iam.gserviceaccount.com';

export interface TestKey {
  readonly privateKeyPem: string;
  readonly publicKey: KeyObject;
}

/** A fresh RSA key pair, as a service account's. */
export function testKey(): TestKey {
  const { privateKey, publicKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  return { privateKeyPem: privateKey.export({ type: 'pkcs8', format: 'pem' }).toString(), publicKey };
}

/** A service-account key file as Google Cloud exports it, with `token_uri` pointing at the test server. */
export function keyFileText(key: TestKey, tokenUri: string): string {
  return JSON.stringify({
    type: 'service_account', project_id: 'test-project', private_key_id: 'k1', private_key: key.privateKeyPem,
    client_email: CLIENT_EMAIL, client_id: '1', auth_uri: 'https://accounts.google.com/o/oauth2/auth', token_uri: tokenUri,
  });
}

export async function writeKeyFile(dir: string, key: TestKey, tokenUri: string): Promise<string> {
  const path = join(dir, 'service-account.json');
  await writeFile(path, keyFileText(key, tokenUri));
  return path;
}

/**
 * Sends clients that ignore the endpoint they were given to a closed loopback port instead of the
 * public API; loopback itself is reached directly.
 */
export function isolateNetwork(): void {
  for (const name of ['HTTP_PROXY', 'HTTPS_PROXY', 'http_proxy', 'https_proxy']) process.env[name] = 'http://127.0.0.1:9';
  process.env.NO_PROXY = '127.0.0.1,localhost';
  process.env.no_proxy = '127.0.0.1,localhost';
}

export const ALL_TYPES_SCHEMA: FieldSchema[] = [
  { name: 'id', type: 'INTEGER', mode: 'REQUIRED' },
  { name: 'i64', type: 'INTEGER' },
  { name: 'num', type: 'NUMERIC' },
  { name: 'bignum', type: 'BIGNUMERIC' },
  { name: 'f', type: 'FLOAT' },
  { name: 'b', type: 'BOOLEAN' },
  { name: 's', type: 'STRING' },
  { name: 'by', type: 'BYTES' },
  { name: 'd', type: 'DATE' },
  { name: 'dt', type: 'DATETIME' },
  { name: 't', type: 'TIME' },
  { name: 'ts', type: 'TIMESTAMP' },
  { name: 'j', type: 'JSON' },
  { name: 'g', type: 'GEOGRAPHY' },
  { name: 'tags', type: 'STRING', mode: 'REPEATED' },
  {
    name: 'rec', type: 'RECORD', fields: [
      { name: 'a', type: 'INTEGER' }, { name: 'b', type: 'STRING' }, { name: 'c', type: 'NUMERIC', mode: 'REPEATED' }, { name: 'ts', type: 'TIMESTAMP' },
    ],
  },
];

const v = (value: unknown) => ({ v: value });
const bytes = (hex: string) => Buffer.from(hex, 'hex').toString('base64');

/**
 * Each row as the API sends it (`api`, in schema order) and what must come out: decimals as exact
 * text, INT64 and TIMESTAMP/DATETIME/TIME as bigint (µs), DATE in days, BYTES in hex, RECORD and
 * REPEATED as their JSON text.
 */
export const ALL_TYPES_ROWS: { api: unknown[]; want: Record<string, unknown> }[] = [
  {
    api: ['1', '9223372036854775807', '99999999999999999999999999999.999999999', '99999999999999999999999999999999999999.99999999999999999999999999999999999999',
      '0.1', 'true', '😀 4-byte, "quoted"\nnext line', bytes('000102005c00'), '2024-02-29', '2024-02-29T23:59:59.999999', '23:59:59.999999',
      '1709251199999999', '{"n":18446744073709551615,"s":"x"}', 'POINT(30 10)', [v('a'), v('😀')],
      { f: [v('9007199254740993'), v('x'), v([v('1.5'), v('-0.000000001')]), v('-1')] }],
    want: {
      id: 1n, i64: 9223372036854775807n, num: '99999999999999999999999999999.999999999', bignum: '99999999999999999999999999999999999999.99999999999999999999999999999999999999',
      f: 0.1, b: true, s: '😀 4-byte, "quoted"\nnext line', by: '000102005c00', d: 19782, dt: 1709251199999999n, t: 86399999999n,
      ts: 1709251199999999n, j: '{"n":18446744073709551615,"s":"x"}', g: 'POINT(30 10)', tags: '["a","😀"]',
      rec: '{"a":9007199254740993,"b":"x","c":[1.5,-0.000000001],"ts":"1969-12-31T23:59:59.999999Z"}',
    },
  },
  {
    api: ['2', '-9223372036854775808', '-0.000000001', '-0.00000000000000000000000000000000000001', '-1.0E308', 'false', '', '', '0001-01-01',
      '0001-01-01T00:00:00', '00:00:00', '-1', '[]', 'LINESTRING(1 2, 3 4)', [], { f: [v(null), v(null), v([]), v(null)] }],
    want: {
      id: 2n, i64: -9223372036854775808n, num: '-0.000000001', bignum: '-0.00000000000000000000000000000000000001', f: -1e308, b: false, s: '', by: '',
      d: -719162, dt: -62135596800000000n, t: 0n, ts: -1n, j: '[]', g: 'LINESTRING(1 2, 3 4)', tags: '[]', rec: '{"a":null,"b":null,"c":[],"ts":null}',
    },
  },
  {
    api: ['3', '9007199254740993', '123.45', '1.5E+3', 'NaN', null, 'ɐ ß 中 𝄞', bytes('00'), '9999-12-31', '9999-12-31T23:59:59.999999',
      '12:00:00.5', '-62135596800000000', 'null', 'POINT EMPTY', [v('')], null],
    want: {
      id: 3n, i64: 9007199254740993n, num: '123.450000000', bignum: '1500.00000000000000000000000000000000000000', f: NaN, b: null, s: 'ɐ ß 中 𝄞', by: '00',
      d: 2932896, dt: 253402300799999999n, t: 43200500000n, ts: -62135596800000000n, j: 'null', g: 'POINT EMPTY', tags: '[""]', rec: null,
    },
  },
  {
    api: ['4', null, null, null, null, null, null, null, null, null, null, null, null, null, [], null],
    want: { id: 4n, i64: null, num: null, bignum: null, f: null, b: null, s: null, by: null, d: null, dt: null, t: null, ts: null, j: null, g: null, tags: '[]', rec: null },
  },
  {
    api: ['5', '0', '0', '0', 'Infinity', 'true', 'x', bytes('ff'), '1969-12-31', '1969-12-31T23:59:59.999999', '00:00:00.000001',
      '253402300799999999', '{"a":[1,2.5,"😀"]}', 'POLYGON((0 0, 1 0, 1 1, 0 0))', [v('b')], { f: [v('-5'), v('y'), v([v('0')]), v('0')] }],
    want: {
      id: 5n, i64: 0n, num: '0.000000000', bignum: '0.00000000000000000000000000000000000000', f: Infinity, b: true, s: 'x', by: 'ff', d: -1,
      dt: -1n, t: 1n, ts: 253402300799999999n, j: '{"a":[1,2.5,"😀"]}', g: 'POLYGON((0 0, 1 0, 1 1, 0 0))', tags: '["b"]',
      rec: '{"a":-5,"b":"y","c":[0],"ts":"1970-01-01T00:00:00.000000Z"}',
    },
  },
];

export function allTypesTable(): StoredTable {
  return { schema: ALL_TYPES_SCHEMA, rows: ALL_TYPES_ROWS.map((r) => [...r.api]) };
}

/** `count` rows of (id INT64, name STRING, at TIMESTAMP) with ids `first`, `first + 1`, ... */
export function keyedTable(first: number, count: number): StoredTable {
  return {
    schema: [{ name: 'id', type: 'INTEGER' }, { name: 'name', type: 'STRING' }, { name: 'at', type: 'TIMESTAMP' }],
    rows: Array.from({ length: count }, (_, i) => [String(first + i), `row ${first + i}`, String(BigInt(first + i) * 1_000_001n - 5_000_000n)]),
  };
}

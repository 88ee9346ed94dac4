import { describe, expect, it } from '@jest/globals';
import { verify } from 'node:crypto';
import { planColumns } from '../../src/connectors/bigquery/decode/column-plan.js';
import { PageDecoder } from '../../src/connectors/bigquery/decode/page-decoder.js';
import { plainDecimal, scaledDigits } from '../../src/connectors/bigquery/decode/cells.js';
import { isoFromMicros } from '../../src/connectors/bigquery/decode/json-text.js';
import { quoteName, quotedTablePath } from '../../src/connectors/bigquery/identifiers.js';
import { keyOffset, startParameter } from '../../src/connectors/bigquery/key.js';
import { orderedPages } from '../../src/connectors/bigquery/pages.js';
import { signedAssertion } from '../../src/connectors/bigquery/token.js';
import type { RawField, RawRow } from '../../src/connectors/bigquery/rest.js';
import { loadServiceAccountKey } from '../../src/connectors/bigquery/credentials.js';
import type { BigQuerySourceConfig } from '../../src/connectors/bigquery/config.js';
import { keyFileText, testKey, writeKeyFile } from '../support/bigquery-fixtures.js';
import { withTempDir } from '../support/pipeline.js';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';

const rows = (...values: unknown[][]): RawRow[] => values.map((cells) => ({ f: cells.map((v) => ({ v })) }));

function decodeColumn(field: RawField, values: unknown[], asText: string[] = []) {
  const table = new PageDecoder(planColumns([field], asText), 'test').decode(rows(...values.map((v) => [v])), 0);
  return { type: String(table.schema.fields[0].type), values: table.getChildAt(0)!.toArray() as unknown };
}

describe('BigQuery decimals', () => {
  it.each([
    ['1.5', 2, '150'], ['-0.000000001', 9, '-1'], ['1.5E+3', 2, '150000'], ['1.5E-3', 4, '15'], ['-0', 0, '0'], ['0012.30', 1, '123'],
    ['99999999999999999999999999999.999999999', 9, '99999999999999999999999999999999999999'],
  ])('%s at scale %i is the integer %s, digit by digit', (text, scale, digits) => {
    expect(scaledDigits(text, scale)).toBe(digits);
  });

  it('refuses digits below the scale rather than dropping them', () => {
    expect(() => scaledDigits('1.0000000001', 9)).toThrow(/more than 9 digits after the point/);
  });

  it.each([['1.5E+3', '1500'], ['-1.250', '-1.25'], ['1E-38', '0.00000000000000000000000000000000000001'], ['0.0', '0']])('writes %s as plain text %s', (text, plain) => {
    expect(plainDecimal(text)).toBe(plain);
  });

  const big = '578960446186580977117854925043439539266.34992332820282019728792003956564819967';
  it('a BIGNUMERIC with 39 integer digits stops the run, naming bignumeric_as_text', () => {
    expect(() => decodeColumn({ name: 'b', type: 'BIGNUMERIC' }, [big])).toThrow(/row 1, column b \(BIGNUMERIC\).*39 digits before the point.*bignumeric_as_text/);
  });

  it('a BIGNUMERIC column named in bignumeric_as_text is read as exact decimal text', () => {
    const { type, values } = decodeColumn({ name: 'b', type: 'BIGNUMERIC' }, [big, '-1.5E+2', null], ['b']);
    expect(type).toBe('Utf8');
    expect(values).toEqual([big, '-150', null]);
  });

  it('bignumeric_as_text names only BIGNUMERIC columns of the input', () => {
    expect(() => planColumns([{ name: 'n', type: 'NUMERIC' }], ['n'])).toThrow(/only BIGNUMERIC columns/);
    expect(() => planColumns([{ name: 'n', type: 'NUMERIC' }], ['x'])).toThrow(/names x, not columns/);
  });
});

describe('BigQuery values to Arrow', () => {
  it('INT64 is exact over the whole range, short values without BigInt', () => {
    const { type, values } = decodeColumn({ name: 'i', type: 'INT64' }, ['9223372036854775807', '-9223372036854775808', '-1', '4294967296', '-4294967297', null]);
    expect(type).toBe('Int64');
    expect(Array.from(values as BigInt64Array)).toEqual([9223372036854775807n, -9223372036854775808n, -1n, 4294967296n, -4294967297n, 0n]);
  });

  it('INT64 values out of range or not integers are refused with the row and column', () => {
    expect(() => decodeColumn({ name: 'i', type: 'INT64' }, ['1', '9223372036854775808'])).toThrow(/row 2, column i \(INT64\): 9223372036854775808 is out of the INT64 range/);
    expect(() => decodeColumn({ name: 'i', type: 'INT64' }, ['1.5'])).toThrow(/not an integer/);
  });

  it('TIMESTAMP microseconds before 1970 and DATETIME beyond 2^53 µs are exact', () => {
    expect(Array.from(decodeColumn({ name: 't', type: 'TIMESTAMP' }, ['-1', '-62135596800000000']).values as BigInt64Array)).toEqual([-1n, -62135596800000000n]);
    expect(Array.from(decodeColumn({ name: 'd', type: 'DATETIME' }, ['9999-12-31T23:59:59.999999', '1969-12-31 23:59:59.5']).values as BigInt64Array)).toEqual([253402300799999999n, -500000n]);
    expect(() => decodeColumn({ name: 'd', type: 'DATETIME' }, ['2024-02-30T00:00:00'])).toThrow(/not a DATETIME/);
  });

  it('TIMESTAMP in JSON text is ISO 8601 UTC with microseconds, before 1970 too', () => {
    expect(isoFromMicros(-1n)).toBe('1969-12-31T23:59:59.999999Z');
    expect(isoFromMicros(1709251199999999n)).toBe('2024-02-29T23:59:59.999999Z');
    expect(isoFromMicros(-62135596800000000n)).toBe('0001-01-01T00:00:00.000000Z');
  });

  it('a RECORD with REPEATED and nested values becomes exact JSON text', () => {
    const field: RawField = { name: 'r', type: 'RECORD', mode: 'REPEATED', fields: [
      { name: 'n', type: 'INT64' }, { name: 'f', type: 'FLOAT64' }, { name: 'j', type: 'JSON' }, { name: 'b', type: 'BYTES' },
      { name: 'in', type: 'STRUCT', fields: [{ name: 'ok', type: 'BOOL' }] },
    ] };
    const value = [{ v: { f: [{ v: '18446744073709551615' }, { v: 'NaN' }, { v: '{"a":1}' }, { v: 'AAE=' }, { v: { f: [{ v: 'true' }] } }] } }];
    expect(decodeColumn(field, [value, []]).values).toEqual(['[{"n":18446744073709551615,"f":"NaN","j":{"a":1},"b":"AAE=","in":{"ok":true}}]', '[]']);
  });
});

describe('BigQuery names, keys and pages', () => {
  it('quotes names so that none can end the quoting', () => {
    expect(quoteName('a`b\\c')).toBe('`a\\`b\\\\c`');
    expect(quotedTablePath('my_project', 'analytics', 'events du-jour')).toBe('`my_project.analytics.events du-jour`');
    expect(() => quotedTablePath('p', 'ds', 'x`; DROP')).toThrow(/table_id/);
  });

  it('offsets: INT64 exact as bigint, TIMESTAMP as ISO text; the seed\'s -1 reads a text key from the start', () => {
    expect(keyOffset('9223372036854775807', 'INT64')).toBe(9223372036854775807n);
    expect(keyOffset('-1', 'TIMESTAMP')).toBe('1969-12-31T23:59:59.999999Z');
    expect(startParameter(-1, 'INT64')).toBe('-1');
    expect(startParameter(-1, 'STRING')).toBeNull();
    expect(startParameter(12n, 'INT64')).toBe('12');
    expect(() => startParameter('x', 'INT64')).toThrow(/not an integer/);
  });

  it('pages come in order with up to `concurrency` requested at once, and stop at a short page', async () => {
    let running = 0;
    let most = 0;
    const read = async (start: number, count: number) => {
      most = Math.max(most, ++running);
      await new Promise((r) => setTimeout(r, (7 - (start / count)) * 3));
      running--;
      return rows(...Array.from({ length: Math.max(0, Math.min(count, 23 - start)) }, (_, i) => [String(start + i)]));
    };
    const seen: number[] = [];
    for await (const page of orderedPages(read, 5, 3, 23)) seen.push(...page.rows.map((r) => Number(r.f[0].v)));
    expect(seen).toEqual(Array.from({ length: 23 }, (_, i) => i));
    expect(most).toBe(3);
  });
});

describe('BigQuery service-account assertion', () => {
  it('is an RS256 JWT for the key\'s token_uri, verifiable with the public key', () => {
    const key = testKey();
    const jwt = signedAssertion({ clientEmail: 'a@b.iam.gserviceaccount.com', privateKey: key.privateKeyPem, privateKeyId: 'k1', tokenUri: 'http://127.0.0.1:1/token' }, 1000);
    const [header, claims, signature] = jwt.split('.');
    expect(verify('RSA-SHA256', Buffer.from(`${header}.${claims}`), key.publicKey, Buffer.from(signature, 'base64url'))).toBe(true);
    expect(JSON.parse(Buffer.from(header, 'base64url').toString())).toEqual({ alg: 'RS256', typ: 'JWT', kid: 'k1' });
    expect(JSON.parse(Buffer.from(claims, 'base64url').toString())).toEqual({
      iss: 'a@b.iam.gserviceaccount.com', scope: 'https://www.googleapis.com/auth/bigquery', aud: 'http://127.0.0.1:1/token', iat: 1000, exp: 4600,
    });
  });
});

describe('BigQuery credentials', () => {
  const config = (extra: Partial<BigQuerySourceConfig> = {}) => ({ gcp_project: 'p', ...extra }) as BigQuerySourceConfig;

  it('come from credentials_file, else GOOGLE_APPLICATION_CREDENTIALS, with the file\'s token_uri', async () => {
    await withTempDir(async (dir) => {
      const file = await writeKeyFile(dir, testKey(), 'http://127.0.0.1:1/token');
      expect(await loadServiceAccountKey(config({ credentials_file: file }), {})).toMatchObject({ clientEmail: expect.stringContaining('@'), tokenUri: 'http://127.0.0.1:1/token', privateKeyId: 'k1' });
      expect((await loadServiceAccountKey(config(), { GOOGLE_APPLICATION_CREDENTIALS: file })).tokenUri).toBe('http://127.0.0.1:1/token');
    });
  });

  it('default to Google\'s token URI when the key names none, and say what is missing otherwise', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'k.json');
      const { token_uri: _, ...key } = JSON.parse(keyFileText(testKey(), 'x')) as Record<string, unknown>;
      await writeFile(file, JSON.stringify(key));
      expect((await loadServiceAccountKey(config({ credentials_file: file }), {})).tokenUri).toBe('https://oauth2.googleapis.com/token');
      await expect(loadServiceAccountKey(config(), {})).rejects.toThrow(/no credentials: set credentials_file .*GOOGLE_APPLICATION_CREDENTIALS/);
      await writeFile(file, '{"private_key": "-----BEGIN PRIVATE KEY-----');
      const error = await loadServiceAccountKey(config({ credentials_file: file }), {}).catch((e: Error) => e);
      expect(String((error as Error).message)).toMatch(/is not JSON/);
      expect(String((error as Error).message)).not.toContain('BEGIN PRIVATE KEY');
    });
  });
});

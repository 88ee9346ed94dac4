import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, test } from '@jest/globals';
import { compileSchema, createAjv } from '../../src/config/schema-store.js';
import { SEED_EXAMPLES } from '../support/pipeline.js';

const EXAMPLES = SEED_EXAMPLES;
const ajv = createAjv();

async function example(name: string): Promise<{ source: Record<string, unknown>; target: Record<string, unknown> }> {
  return JSON.parse(await readFile(join(EXAMPLES, name), 'utf8')) as { source: Record<string, unknown>; target: Record<string, unknown> };
}

describe('the seed example configs with a mysql section', () => {
  test.each([
    ['integration_mysql_mysql.json', 'source'],
    ['integration_mysql_mysql.json', 'target'],
    ['integration_mongodb_mysql.json', 'target'],
    ['mysql_to_athena_example.json', 'source'],
  ] as const)('%s: its %s.mysql section validates, defaults filled in', async (file, kind) => {
    const section = structuredClone((await example(file))[kind].mysql) as Record<string, unknown>;
    const validate = compileSchema(ajv, `${kind}/mysql.schema.json`);
    const valid = validate(section);
    expect(validate.errors ?? []).toEqual([]);
    expect(valid).toBe(true);
    expect(section.batch_size).toEqual(expect.any(Number));
    if (kind === 'target') expect(section.load_method).toBe('infile');
  });

  test.each([
    ['no host and no secret', { db: 'd', table: 't', key: 'id' }],
    ['a table name with a backquote', { host: 'h', db: 'd', table: 't`x', key: 'id' }],
    ['a key with a space', { host: 'h', db: 'd', table: 't', key: 'id; DROP' }],
    ['an unknown field', { host: 'h', db: 'd', table: 't', key: 'id', query: 'SELECT 1' }],
    ['a batch size of 0', { host: 'h', db: 'd', table: 't', key: 'id', batch_size: 0 }],
  ])('a source section with %s is refused', (_label, section) => {
    expect(compileSchema(ajv, 'source/mysql.schema.json')(section)).toBe(false);
  });
});

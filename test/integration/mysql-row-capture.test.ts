import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import mysql from 'mysql2';
import winston from 'winston';
import Transport from 'winston-transport';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { encodeTextRow } from '../../src/connectors/mysql/wire/row-capture.js';
import { columnTypes, createTestDatabase, exactRows, mysqlSection, type TestDatabase } from '../support/mysql-db.js';
import { ALL_TYPES_ROWS, createAllTypesTable } from '../support/mysql-fixtures.js';
import { planFor } from '../support/pipeline.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('capture');
  await createAllTypesTable(db, 'all_types');
  // Long values: lengths that need 3-byte length prefixes in the text protocol.
  await db.query("INSERT INTO all_types (id, tx, bl) VALUES (10, REPEAT('x', 60000), REPEAT(x'00', 300))");
});

afterAll(async () => {
  await db?.drop();
});

type QueryPrototype = { row: (...args: unknown[]) => unknown };

/** mysql2's Query class, reached through a query object (its module path is not exported). */
async function queryPrototype(): Promise<{ prototype: QueryPrototype }> {
  const core = (db.connection as unknown as { connection: mysql.Connection }).connection;
  // Wrapped: a Query has a then() that throws, so it cannot be a promise's value itself.
  const found = await new Promise<{ prototype: QueryPrototype }>((resolve, reject) => {
    const query = core.query('SELECT 1', (error) => (error ? reject(error) : resolve({ prototype: Object.getPrototypeOf(query) as QueryPrototype })));
  });
  return found;
}

/** Runs MySQL -> MySQL, returning the warnings it logged. */
async function copy(table: string): Promise<string[]> {
  const warnings: string[] = [];
  const logger = winston.createLogger({ level: 'warn', transports: [new (class extends Transport {
    override log(info: { message: string }, next: () => void): void {
      warnings.push(info.message);
      next();
    }
  })()] });
  const plan = planFor({
    source: { mysql: mysqlSection(db.name, 'all_types', { batch_size: 2 }) },
    transform: { add_op_fields: false },
    target: { mysql: mysqlSection(db.name, table, { concurrency: 1 }) },
  });
  const summary = await runPipeline({ plan, logger, stop: new StopRequest(null) });
  expect(summary.error).toBeUndefined();
  expect(summary.rowsLoaded).toBe(ALL_TYPES_ROWS.length + 1);
  return warnings;
}

describe('the MySQL source when mysql2 internals change', () => {
  test('reads through the documented row API instead, with the same values and one warning', async () => {
    expect(await copy('fast_copy')).toEqual([]);
    const { prototype } = await queryPrototype();
    const original = prototype.row;
    // A mysql2 whose row() no longer calls `this._rowParser.next(packet...)`: same behaviour,
    // other internals. The source must notice before reading and take the documented path.
    prototype.row = function changedRow(this: unknown, ...args: unknown[]) {
      return original.apply(this, args);
    };
    try {
      const warnings = await copy('documented_copy');
      expect(warnings.filter((w) => /internals are not the ones the fast row reader expects/.test(w))).toHaveLength(1);
    } finally {
      prototype.row = original;
    }
    expect(await columnTypes(db, db.name, 'documented_copy')).toEqual(await columnTypes(db, db.name, 'all_types'));
    expect(await exactRows(db, db.name, 'documented_copy')).toEqual(await exactRows(db, db.name, 'all_types'));
    expect(await exactRows(db, db.name, 'documented_copy')).toEqual(await exactRows(db, db.name, 'fast_copy'));
  });

  test('a row written back into the text protocol has the lengths and NULLs the server would send', () => {
    const long = Buffer.alloc(70_000, 0x61);
    const packet = encodeTextRow([Buffer.from('ab'), null, Buffer.alloc(0), Buffer.alloc(300, 1), long]);
    expect([...packet.subarray(0, 5)]).toEqual([2, 0x61, 0x62, 0xfb, 0]);
    expect([...packet.subarray(5, 8)]).toEqual([0xfc, 300 & 0xff, 300 >> 8]);
    expect(packet[308]).toBe(0xfd);
    expect(packet.readUIntLE(309, 3)).toBe(70_000);
    expect(packet.length).toBe(312 + 70_000);
  });
});

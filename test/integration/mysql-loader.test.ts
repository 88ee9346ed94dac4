import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import mysql from 'mysql2/promise';
import { Int32, Table, Utf8, vectorFromArray } from 'apache-arrow';
import { TableLoader } from '../../src/connectors/mysql/loader.js';
import { createTestDatabase, MYSQL, type TestDatabase } from '../support/mysql-db.js';

let db: TestDatabase;

beforeAll(async () => {
  db = await createTestDatabase('ldr');
});

afterAll(async () => {
  await db?.drop();
});

function rows(ids: number[], labels: string[]): Table {
  return new Table({ id: vectorFromArray(ids, new Int32()), label: vectorFromArray(labels, new Utf8()) });
}

describe('loading when the server refuses LOAD DATA LOCAL', () => {
  test('falls back to multi-row INSERT once, with the same result', async () => {
    // A client that does not offer LOCAL INFILE: the server answers LOAD DATA LOCAL with an error.
    const connection = await mysql.createConnection({ host: MYSQL.host, port: MYSQL.port, user: MYSQL.username, password: MYSQL.password, flags: ['-LOCAL_FILES'] });
    try {
      const reasons: string[] = [];
      const loader = new TableLoader(() => connection, db.name, 'fallback', 'id', `${db.name}.fallback`, 'infile', (reason) => reasons.push(reason));
      await loader.load(rows([1, 2, 3], ['tab\there', 'NULL', '\\N']));
      await loader.load(rows([3, 4], ['replaced', '😀']));
      expect(reasons).toHaveLength(1);
      expect(await db.query('SELECT id, label FROM fallback ORDER BY id')).toEqual([
        { id: 1, label: 'tab\there' }, { id: 2, label: 'NULL' }, { id: 3, label: 'replaced' }, { id: 4, label: '😀' },
      ]);
    } finally {
      await connection.end();
    }
  });
});

import { execFileSync } from 'node:child_process';

/** Runs SQL through the mariadb client (root on 127.0.0.1) and returns its tab-separated output. */
export function sql(statement: string, database?: string): string {
  const args = ['-uroot', '-h127.0.0.1', '--batch', '--skip-column-names', ...(database ? [database] : []), '-e', statement];
  return execFileSync('mariadb', args, { encoding: 'utf8', maxBuffer: 1 << 26 });
}

/**
 * The benchmark table: mixed types as a typical OLTP table holds them (unsigned bigint key, int,
 * decimal, double, varchar, ~100-char text, datetime(3), date, tinyint, enum, small JSON,
 * nullable varchar), generated server-side from MariaDB's sequence engine.
 */
export function createBenchTable(database: string, rows: number): void {
  sql(`DROP DATABASE IF EXISTS ${database}; CREATE DATABASE ${database} CHARACTER SET utf8mb4`);
  sql(`CREATE TABLE bench_src (
    id BIGINT UNSIGNED NOT NULL PRIMARY KEY, qty INT NOT NULL, price DECIMAL(12,2) NOT NULL, score DOUBLE NOT NULL,
    name VARCHAR(64) NOT NULL, note TEXT NOT NULL, created DATETIME(3) NOT NULL, day DATE NOT NULL, flag TINYINT NOT NULL,
    status ENUM('new','paid','shipped','returned') NOT NULL, attrs JSON NOT NULL, maybe VARCHAR(32) NULL) ENGINE=InnoDB`, database);
  const chunk = 250_000;
  for (let from = 1; from <= rows; from += chunk) {
    const to = Math.min(rows, from + chunk - 1);
    sql(`INSERT INTO bench_src SELECT seq, seq % 100003, (seq % 10000000) / 100, seq / 7.0e0, CONCAT('customer-', seq, '-', LEFT(MD5(seq), 12)),
      CONCAT(MD5(seq), ' ', MD5(seq + 1), ' ', LEFT(MD5(seq + 2), 30)), TIMESTAMP'2020-01-01 00:00:00' + INTERVAL seq * 1001000 MICROSECOND,
      DATE'2000-01-01' + INTERVAL seq % 9000 DAY, seq % 128, ELT(1 + seq % 4, 'new', 'paid', 'shipped', 'returned'),
      CONCAT('{"n": ', seq, ', "tag": "t', seq % 50, '", "ok": ', IF(seq % 2, 'true', 'false'), '}'), IF(seq % 3 = 0, NULL, CONCAT('v', seq))
      FROM seq_${from}_to_${to}`, database);
  }
  sql('ANALYZE TABLE bench_src', database);
}

/** InnoDB data size of a table in MB, as the server accounts it. */
export function tableMegabytes(database: string, table: string): number {
  const bytes = Number(sql(`SELECT DATA_LENGTH FROM information_schema.TABLES WHERE TABLE_SCHEMA = '${database}' AND TABLE_NAME = '${table}'`).trim());
  return bytes / 1024 / 1024;
}

export function countRows(database: string, table: string): number {
  return Number(sql(`SELECT COUNT(*) FROM ${table}`, database).trim());
}

import type { Schema, Table } from 'apache-arrow';
import { FastlaneError } from '../../errors.js';
import type { Connection } from './connection.js';
import { quoteName } from './identifiers.js';
import { infileStream } from './infile.js';
import { insertGroups } from './insert-rows.js';
import { isRetryable } from './link.js';
import { readColumns } from './table-info.js';
import { mysqlColumnType } from './target-types.js';

/**
 * Error numbers servers and clients answer when LOAD DATA LOCAL is switched off: 1148 (MySQL 5.x,
 * MariaDB before 10.5), 3948 (MySQL 8), 4166 (MariaDB 10.5+), 2068 (MySQL client).
 */
const INFILE_REFUSED = new Set([1148, 3948, 4166, 2068]);

export type LoadMethod = 'infile' | 'insert';

interface Statements {
  readonly infile: string;
  /** `REPLACE INTO t (cols) VALUES ` and one row's `(?, ...)`. */
  readonly insertHead: string;
  readonly insertRow: string;
}

/**
 * Loads Arrow batches into one table over one connection with LOAD DATA LOCAL INFILE, creating
 * the table from the first batch's schema when it is missing; multi-row INSERT is the fallback
 * where the server or the method setting refuses LOAD DATA LOCAL. REPLACE makes every load an
 * upsert on the primary key, so loading a batch twice (a retry, a re-run after a crash) changes nothing.
 * Retrying a failed load (a deadlock, a lost connection) is the caller's: see MysqlLink.
 */
export class TableLoader {
  private statements: Statements | null = null;
  private readonly table: string;

  /**
   * `connection` gives the connection of the current try (a retry may run on a new one).
   * `label` names the table in errors: the target table, also when loading its staging table.
   * `onFallback` is told once when LOAD DATA LOCAL is refused and INSERT takes over.
   */
  constructor(
    private readonly connection: () => Connection,
    private readonly db: string,
    private readonly name: string,
    private readonly key: string,
    private readonly label: string,
    private method: LoadMethod = 'infile',
    private readonly onFallback: (reason: string) => void = () => undefined,
  ) {
    this.table = `${quoteName(db)}.${quoteName(name)}`;
  }

  async load(batch: Table): Promise<void> {
    this.statements ??= await this.prepare(batch.schema);
    try {
      return await this.loadOnce(batch, this.statements);
    } catch (error) {
      if (this.method !== 'infile' || !INFILE_REFUSED.has((error as { errno?: number }).errno ?? 0)) throw this.loadError(error);
      this.method = 'insert';
      this.onFallback((error as Error).message);
      return await this.loadOnce(batch, this.statements).catch((second: unknown) => {
        throw this.loadError(second);
      });
    }
  }

  /** A lost connection or a deadlock stays as mysql2 reported it, so the caller can retry it. */
  private loadError(error: unknown): unknown {
    if (error instanceof FastlaneError || isRetryable(error)) return error;
    const how = this.method === 'infile' ? 'LOAD DATA' : 'INSERT';
    return new FastlaneError('FL_TARGET', `${how} into ${this.label} failed: ${(error as Error).message}; check that the table's columns hold the source's values (or drop the table to have it created)`, { cause: error });
  }

  private async loadOnce(batch: Table, statements: Statements): Promise<void> {
    const connection = this.connection();
    await connection.query('START TRANSACTION');
    try {
      if (this.method === 'infile') await this.checked(connection, connection.query({ sql: statements.infile, infileStreamFactory: () => infileStream(batch) } as never));
      else {
        for (const rows of insertGroups(batch)) {
          await this.checked(connection, connection.query(`${statements.insertHead}${rows.map(() => statements.insertRow).join(', ')}`, rows.flat()));
        }
      }
      await connection.query('COMMIT');
    } catch (error) {
      await connection.query('ROLLBACK').catch(() => undefined);
      throw error;
    }
  }

  private async checked(connection: Connection, query: Promise<[unknown, unknown]>): Promise<void> {
    const [result] = await query;
    const warnings = (result as { warningStatus?: number }).warningStatus ?? 0;
    if (warnings > 0) await this.refuseWarnings(connection, warnings);
  }

  /** LOAD DATA LOCAL turns bad values into warnings; a load with any is rolled back instead. */
  private async refuseWarnings(connection: Connection, count: number): Promise<never> {
    const [rows] = await connection.query('SHOW WARNINGS LIMIT 3');
    const messages = (rows as { Message: string }[]).map((row) => row.Message).join('; ');
    throw new FastlaneError('FL_TARGET', `MySQL changed or refused ${count} value(s) loading ${this.label} (${messages}): the table's column types do not hold the data; fix the table or drop it to have it created`);
  }

  /** Creates the table when missing, checks its columns, and builds the load statements. */
  private async prepare(schema: Schema): Promise<Statements> {
    const names = schema.fields.map((f) => f.name);
    if (!names.includes(this.key)) {
      throw new FastlaneError('FL_TARGET', `target.mysql.key '${this.key}' is not a column of the loaded rows; their columns: ${names.join(', ')}`);
    }
    const connection = this.connection();
    await connection.query(createTableSql(this.table, schema, this.key));
    const existing = new Map((await readColumns(connection, this.db, this.name)).map((c) => [c.name, c.dataType]));
    const missing = names.filter((n) => !existing.has(n));
    if (missing.length > 0) {
      throw new FastlaneError('FL_TARGET', `table ${this.label} has no column ${missing.join(', ')}: add them or drop the table to have it created`);
    }
    // BIT columns take numbers, not the text of numbers.
    const isBit = names.map((n) => existing.get(n) === 'bit');
    const targets = names.map((n, i) => (isBit[i] ? `@v${i}` : quoteName(n)));
    const sets = names.flatMap((n, i) => (isBit[i] ? [`${quoteName(n)} = CAST(@v${i} AS UNSIGNED)`] : []));
    return {
      infile: `LOAD DATA LOCAL INFILE 'fastlane.tsv' REPLACE INTO TABLE ${this.table} CHARACTER SET binary `
        + "FIELDS TERMINATED BY '\\t' ESCAPED BY '\\\\' LINES TERMINATED BY '\\n' "
        + `(${targets.join(', ')})${sets.length > 0 ? ` SET ${sets.join(', ')}` : ''}`,
      insertHead: `REPLACE INTO ${this.table} (${names.map(quoteName).join(', ')}) VALUES `,
      insertRow: `(${isBit.map((bit) => (bit ? 'CAST(? AS UNSIGNED)' : '?')).join(', ')})`,
    };
  }
}

/** CREATE TABLE IF NOT EXISTS from an Arrow schema; the key becomes the primary key. */
export function createTableSql(table: string, schema: Schema, key: string): string {
  const columns = schema.fields.map((field) => {
    const isKey = field.name === key;
    return `${quoteName(field.name)} ${mysqlColumnType(field, isKey)}${isKey ? ' NOT NULL' : ' NULL'}`;
  });
  return `CREATE TABLE IF NOT EXISTS ${table} (${columns.join(', ')}, PRIMARY KEY (${quoteName(key)})) ENGINE=InnoDB DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`;
}

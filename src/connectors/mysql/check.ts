import { describeError } from '../../errors.js';
import type { MysqlSourceConfig, MysqlTargetConfig } from './config.js';
import { closeConnection, openConnection, type Connection } from './connection.js';
import { quoteName } from './identifiers.js';
import { databaseExists, readColumns, tableExists } from './table-info.js';

/**
 * `fastlane check` for a MySQL source: the table, its key and the declared columns exist, and
 * the credentials may read them. Reads no row.
 */
export async function checkMysqlSource(config: MysqlSourceConfig): Promise<string[]> {
  return withConnection(config, 'source.mysql', async (connection) => {
    const missing = await missingTable(connection, config.db, config.table);
    if (missing) return [missing];
    const names = new Set((await readColumns(connection, config.db, config.table)).map((c) => c.name));
    const problems = [config.key, ...(config.columns ?? [])]
      .filter((name, i, all) => all.indexOf(name) === i && !names.has(name))
      .map((name) => `column '${name}' (${name === config.key ? 'the key' : 'in columns'}) is not in ${config.db}.${config.table}; its columns: ${[...names].join(', ')}`);
    if (problems.length > 0) return problems;
    const read = await attempt(connection, `SELECT ${[config.key, ...(config.columns ?? [])].map(quoteName).join(', ')} FROM ${quoteName(config.db)}.${quoteName(config.table)} LIMIT 0`);
    return read ? [`cannot read ${config.db}.${config.table}: ${read}`] : [];
  });
}

/**
 * `fastlane check` for a MySQL target: the database exists; a table already there has the key
 * column; the credentials may create and drop tables (staging, created tables) and insert; and
 * the server accepts LOAD DATA LOCAL INFILE when that is the load method. Writes no row.
 */
export async function checkMysqlTarget(config: MysqlTargetConfig): Promise<string[]> {
  return withConnection(config, 'target.mysql', async (connection) => {
    if (!(await databaseExists(connection, config.db))) return [`database '${config.db}' does not exist (or the user cannot see it): create it first`];
    const problems: string[] = [];
    if (await tableExists(connection, config.db, config.table)) {
      const names = (await readColumns(connection, config.db, config.table)).map((c) => c.name);
      if (!names.includes(config.key)) problems.push(`the key '${config.key}' is not a column of ${config.db}.${config.table}; its columns: ${names.join(', ')}`);
      const insert = await attempt(connection, `INSERT INTO ${quoteName(config.db)}.${quoteName(config.table)} SELECT * FROM ${quoteName(config.db)}.${quoteName(config.table)} WHERE FALSE`);
      if (insert) problems.push(`cannot insert into ${config.db}.${config.table}: ${insert}`);
    }
    const probe = `${quoteName(config.db)}.${quoteName(`_fastlane_check_${process.pid}`)}`;
    const create = await attempt(connection, `CREATE TABLE ${probe} (id INT)`);
    if (create) problems.push(`cannot create tables in ${config.db} (staging tables need it): ${create}`);
    else await attempt(connection, `DROP TABLE ${probe}`).then((drop) => drop && problems.push(`cannot drop tables in ${config.db}: ${drop}`));
    if (config.load_method === 'infile' && !(await localInfileOn(connection))) {
      problems.push("the server refuses LOAD DATA LOCAL INFILE (local_infile is OFF): set it ON, or set target.mysql.load_method to 'insert'");
    }
    return problems;
  });
}

async function withConnection(config: MysqlSourceConfig | MysqlTargetConfig, section: string, body: (c: Connection) => Promise<string[]>): Promise<string[]> {
  let connection: Connection | null = null;
  try {
    connection = await openConnection(config, section);
    return await body(connection);
  } catch (error) {
    return [describeError(error)];
  } finally {
    await closeConnection(connection);
  }
}

async function missingTable(connection: Connection, db: string, table: string): Promise<string | null> {
  if (!(await databaseExists(connection, db))) return `database '${db}' does not exist (or the user cannot see it)`;
  if (!(await tableExists(connection, db, table))) return `table ${db}.${table} does not exist (or the user cannot see it)`;
  return null;
}

/** Runs a statement that changes nothing; answers the server's refusal, or null. */
async function attempt(connection: Connection, sql: string): Promise<string | null> {
  try {
    await connection.query(sql);
    return null;
  } catch (error) {
    return (error as Error).message;
  }
}

async function localInfileOn(connection: Connection): Promise<boolean> {
  const [rows] = await connection.query('SELECT @@GLOBAL.local_infile AS on_');
  return ['1', 'ON'].includes(String((rows as { on_: unknown }[])[0]?.on_).toUpperCase());
}

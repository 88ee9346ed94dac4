import { createHash } from 'node:crypto';
import type { Connection } from './connection.js';
import { quoteName } from './identifiers.js';
import { tableExists } from './table-info.js';

/** Short and the same for every run into one table, so leftovers of a crashed run can be found. */
function tableTag(table: string): string {
  return createHash('sha256').update(table).digest('hex').slice(0, 10);
}

/** The staging table of a FULL_TABLE run: under 64 characters whatever the table's name. */
export function stagingName(table: string, runId: string): string {
  return `_fl_stage_${tableTag(table)}_${runId}`;
}

function retiredName(table: string, runId: string): string {
  return `_fl_old_${tableTag(table)}_${runId}`;
}

/**
 * Staging tables of one target table: a FULL_TABLE run loads into its own and swaps it in with
 * one RENAME TABLE, atomic for readers; a run that fails or dies never touches the target.
 */
export class StagingTables {
  constructor(private readonly connection: Connection, private readonly db: string, private readonly table: string, private readonly runId: string) {}

  private qualified(name: string): string {
    return `${quoteName(this.db)}.${quoteName(name)}`;
  }

  get name(): string {
    return stagingName(this.table, this.runId);
  }

  /** Drops what crashed runs left behind, then starts this run's staging table like the target when it exists. */
  async prepare(): Promise<void> {
    const [rows] = await this.connection.query(
      'SELECT TABLE_NAME AS name FROM information_schema.TABLES WHERE TABLE_SCHEMA = ? AND (TABLE_NAME LIKE ? OR TABLE_NAME LIKE ?)',
      [this.db, `\\_fl\\_stage\\_${tableTag(this.table)}\\_%`, `\\_fl\\_old\\_${tableTag(this.table)}\\_%`],
    );
    for (const { name } of rows as { name: string }[]) await this.connection.query(`DROP TABLE IF EXISTS ${this.qualified(name)}`);
    if (await tableExists(this.connection, this.db, this.table)) {
      await this.connection.query(`CREATE TABLE ${this.qualified(this.name)} LIKE ${this.qualified(this.table)}`);
    }
  }

  /** Swaps the staging table in; false when there is none (nothing was loaded and no target existed). */
  async swapIn(): Promise<boolean> {
    if (!(await tableExists(this.connection, this.db, this.name))) return false;
    const staging = this.qualified(this.name);
    const target = this.qualified(this.table);
    if (await tableExists(this.connection, this.db, this.table)) {
      const retired = this.qualified(retiredName(this.table, this.runId));
      await this.connection.query(`RENAME TABLE ${target} TO ${retired}, ${staging} TO ${target}`);
      await this.connection.query(`DROP TABLE ${retired}`);
    } else {
      await this.connection.query(`RENAME TABLE ${staging} TO ${target}`);
    }
    return true;
  }

  async drop(): Promise<void> {
    await this.connection.query(`DROP TABLE IF EXISTS ${this.qualified(this.name)}`);
  }
}

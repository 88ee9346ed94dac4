import type { Table } from 'apache-arrow';
import type { StageContext } from '../../stages/context.js';
import type { Offset } from '../../stages/offset.js';
import type { LoadInfo, Target } from '../../stages/target.js';
import { FastlaneError } from '../../errors.js';
import type { MysqlTargetConfig } from './config.js';
import { closeConnection, openConnection, type Connection } from './connection.js';
import { checkedName } from './identifiers.js';
import { TableLoader } from './loader.js';
import { OffsetState } from './offset-state.js';
import { StagingTables, stagingName } from './staging.js';
import { databaseExists } from './table-info.js';

/** Strict, and a loaded 0 stays 0 in an AUTO_INCREMENT key. */
const SQL_MODE = 'STRICT_ALL_TABLES,NO_AUTO_VALUE_ON_ZERO,NO_ENGINE_SUBSTITUTION';

/**
 * Loads into a MySQL table. Worker threads each hold a connection and LOAD DATA their batches;
 * the main thread's instance runs the run: FULL_TABLE loads go to a staging table swapped in on
 * commit; INCREMENTAL loads upsert into the table and the offset is recorded in _fastlane_offsets.
 */
class MysqlTarget implements Target {
  private connection: Connection | null = null;
  private loader: TableLoader | null = null;

  constructor(private readonly config: MysqlTargetConfig, private readonly context: StageContext) {
    checkedName(config.db, 'target.mysql.db');
    checkedName(config.table, 'target.mysql.table');
    checkedName(config.key, 'target.mysql.key');
  }

  private get full(): boolean {
    return this.context.replicationMode === 'FULL_TABLE';
  }

  private get db(): Connection {
    if (!this.connection) throw new FastlaneError('FL_INTERNAL', 'the MySQL target is not open');
    return this.connection;
  }

  async open(): Promise<void> {
    this.connection = await openConnection(this.config, 'target.mysql', SQL_MODE);
    if (!(await databaseExists(this.connection, this.config.db))) {
      throw new FastlaneError('FL_TARGET', `database '${this.config.db}' does not exist on the target server (or this user cannot see it): create it, or fix target.mysql.db`);
    }
  }

  async load(batch: Table, _info: LoadInfo): Promise<void> {
    const table = this.full ? stagingName(this.config.table, this.context.runId) : this.config.table;
    const label = this.full ? `${this.config.db}.${this.config.table} (staging table ${table})` : `${this.config.db}.${this.config.table}`;
    this.loader ??= new TableLoader(this.db, this.config.db, table, this.config.key, label, this.config.load_method, (reason) => {
      this.context.logger.warn(`target ${label}: the server refused LOAD DATA LOCAL INFILE (${reason}); loading with multi-row INSERT instead, which is slower`);
    });
    await this.loader.load(batch);
  }

  async close(): Promise<void> {
    await closeConnection(this.connection);
    this.connection = null;
  }

  private state(): OffsetState {
    return new OffsetState(this.db, this.config.db, this.config.table);
  }

  private staging(): StagingTables {
    return new StagingTables(this.db, this.config.db, this.config.table, this.context.runId);
  }

  async getOffset(): Promise<Offset | null> {
    return this.state().read();
  }

  async begin(): Promise<void> {
    if (this.full) await this.staging().prepare();
    else await this.state().ensure();
  }

  async checkpoint(offset: Offset): Promise<void> {
    if (!this.full) await this.state().write(offset, this.context.pipelineId, this.context.runId);
  }

  async commit(offset: Offset | null): Promise<void> {
    if (!this.full) {
      if (offset !== null) await this.checkpoint(offset);
      return;
    }
    if (!(await this.staging().swapIn())) {
      this.context.logger.warn(`target ${this.config.db}.${this.config.table}: the source had no rows and the table does not exist, so none was created`);
    }
  }

  async abort(offset: Offset | null): Promise<void> {
    // A run whose open failed has nothing of its own to clean up.
    if (!this.connection) return;
    if (this.full) await this.staging().drop();
    else if (offset !== null) await this.checkpoint(offset);
  }
}

/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createMysqlTarget(config: MysqlTargetConfig, context: StageContext): Target {
  return new MysqlTarget(config, context);
}

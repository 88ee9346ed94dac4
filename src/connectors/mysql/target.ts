import type { Table } from 'apache-arrow';
import type { StageContext } from '../../stages/context.js';
import type { Offset } from '../../stages/offset.js';
import type { LoadInfo, Target } from '../../stages/target.js';
import { FastlaneError } from '../../errors.js';
import type { MysqlTargetConfig } from './config.js';
import type { Connection } from './connection.js';
import { checkedName } from './identifiers.js';
import { MysqlLink } from './link.js';
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
 * Every statement goes through a MysqlLink: a load whose connection is killed is loaded again on a
 * new one (REPLACE into the staging or target table, in one transaction: idempotent).
 */
class MysqlTarget implements Target {
  private readonly link: MysqlLink;
  private opened = false;
  private loader: TableLoader | null = null;
  /** The connection of the statement being run (set by `on`). */
  private current: Connection | null = null;

  constructor(private readonly config: MysqlTargetConfig, private readonly context: StageContext) {
    checkedName(config.db, 'target.mysql.db');
    checkedName(config.table, 'target.mysql.table');
    checkedName(config.key, 'target.mysql.key');
    this.link = new MysqlLink(config, { section: 'target.mysql', logger: context.logger, sqlMode: SQL_MODE });
  }

  /** Runs `what` through the link, retried on a new connection when the old one is lost. */
  private on<T>(what: string, statement: (connection: Connection) => Promise<T>): Promise<T> {
    if (!this.opened) throw new FastlaneError('FL_INTERNAL', 'the MySQL target is not open');
    return this.link.run(what, (connection) => {
      this.current = connection;
      return statement(connection);
    });
  }

  private get full(): boolean {
    return this.context.replicationMode === 'FULL_TABLE';
  }

  async open(): Promise<void> {
    this.opened = true;
    if (!(await this.on('check the database', (connection) => databaseExists(connection, this.config.db)))) {
      throw new FastlaneError('FL_TARGET', `database '${this.config.db}' does not exist on the target server (or this user cannot see it): create it, or fix target.mysql.db`);
    }
  }

  async load(batch: Table, _info: LoadInfo): Promise<void> {
    const table = this.full ? stagingName(this.config.table, this.context.runId) : this.config.table;
    const label = this.full ? `${this.config.db}.${this.config.table} (staging table ${table})` : `${this.config.db}.${this.config.table}`;
    this.loader ??= new TableLoader(() => this.current as Connection, this.config.db, table, this.config.key, label, this.config.load_method, (reason) => {
      this.context.logger.warn(`target ${label}: the server refused LOAD DATA LOCAL INFILE (${reason}); loading with multi-row INSERT instead, which is slower`);
    });
    const loader = this.loader;
    await this.on(`load ${_info.sequence}`, () => loader.load(batch));
  }

  async close(): Promise<void> {
    this.opened = false;
    await this.link.close();
  }

  private state(connection: Connection): OffsetState {
    return new OffsetState(connection, this.config.db, this.config.table);
  }

  private staging(connection: Connection): StagingTables {
    return new StagingTables(connection, this.config.db, this.config.table, this.context.runId);
  }

  async getOffset(): Promise<Offset | null> {
    return this.on('read the offset', (c) => this.state(c).read());
  }

  async begin(): Promise<void> {
    if (this.full) await this.on('prepare the staging table', (c) => this.staging(c).prepare());
    else await this.on('create the offset table', (c) => this.state(c).ensure());
  }

  async checkpoint(offset: Offset): Promise<void> {
    if (!this.full) await this.on('record the offset', (c) => this.state(c).write(offset, this.context.pipelineId, this.context.runId));
  }

  async commit(offset: Offset | null): Promise<void> {
    if (!this.full) {
      if (offset !== null) await this.checkpoint(offset);
      return;
    }
    if (!(await this.on('swap the staging table in', (c) => this.staging(c).swapIn()))) {
      this.context.logger.warn(`target ${this.config.db}.${this.config.table}: the source had no rows and the table does not exist, so none was created`);
    }
  }

  async abort(offset: Offset | null): Promise<void> {
    // A run whose open failed has nothing of its own to clean up.
    if (!this.opened) return;
    if (this.full) await this.on('drop the staging table', (c) => this.staging(c).drop());
    else if (offset !== null) await this.checkpoint(offset);
  }
}

/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createMysqlTarget(config: MysqlTargetConfig, context: StageContext): Target {
  return new MysqlTarget(config, context);
}

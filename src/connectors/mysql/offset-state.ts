import { offsetFromJSON, offsetToJSON, type Offset } from '../../stages/offset.js';
import type { Connection } from './connection.js';
import { quoteName } from './identifiers.js';

/** The table in the target database that records, per target table, the offset loaded so far. */
export const STATE_TABLE = '_fastlane_offsets';

/**
 * Offsets live in the target database beside the data, so the recorded offset and the loaded rows
 * share one server: a checkpoint is written only after every row below it is committed.
 */
export class OffsetState {
  private readonly table: string;

  constructor(private readonly connection: Connection, db: string, private readonly targetTable: string) {
    this.table = `${quoteName(db)}.${quoteName(STATE_TABLE)}`;
  }

  async ensure(): Promise<void> {
    await this.connection.query(
      `CREATE TABLE IF NOT EXISTS ${this.table} (
         target_table VARCHAR(64) NOT NULL PRIMARY KEY,
         offset_json TEXT NOT NULL,
         pipeline_id VARCHAR(255) NOT NULL,
         run_id VARCHAR(32) NOT NULL,
         updated_at TIMESTAMP(6) NOT NULL DEFAULT CURRENT_TIMESTAMP(6) ON UPDATE CURRENT_TIMESTAMP(6)
       ) DEFAULT CHARSET=utf8mb4 COLLATE=utf8mb4_bin`,
    );
  }

  /** The recorded offset; null when nothing is recorded (or the state table does not exist yet). */
  async read(): Promise<Offset | null> {
    try {
      const [rows] = await this.connection.query(`SELECT offset_json FROM ${this.table} WHERE target_table = ?`, [this.targetTable]);
      const row = (rows as { offset_json: string }[])[0];
      return row ? offsetFromJSON(JSON.parse(row.offset_json)) : null;
    } catch (error) {
      if ((error as { code?: string }).code === 'ER_NO_SUCH_TABLE') return null;
      throw error;
    }
  }

  async write(offset: Offset, pipelineId: string, runId: string): Promise<void> {
    await this.connection.query(
      `INSERT INTO ${this.table} (target_table, offset_json, pipeline_id, run_id) VALUES (?, ?, ?, ?)
       ON DUPLICATE KEY UPDATE offset_json = VALUES(offset_json), pipeline_id = VALUES(pipeline_id), run_id = VALUES(run_id)`,
      [this.targetTable, JSON.stringify(offsetToJSON(offset)), pipelineId, runId],
    );
  }
}

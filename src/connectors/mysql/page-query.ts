import type { Connection as CoreConnection } from 'mysql2';
import type { Table } from 'apache-arrow';
import type { Offset } from '../../stages/offset.js';
import type { Connection } from './connection.js';
import { PageBuilder, type KeyKind, type RawValue } from './page-builder.js';
import type { ColumnPlan } from './source-types.js';

export interface Page {
  readonly table: Table;
  readonly rows: number;
  readonly lastKey: Offset | undefined;
}

/** What every page of one table read shares: columns, key, quoted names, page size. */
export interface PageShape {
  readonly plans: readonly ColumnPlan[];
  readonly keyIndex: number;
  readonly keyKind: KeyKind;
  /** Back-quoted `db`.`table` and key column. */
  readonly table: string;
  readonly key: string;
  readonly batchSize: number;
  readonly warnings: Map<string, number>;
}

/**
 * One keyset page, `WHERE key > ? [AND key <= ?] ORDER BY key LIMIT ?`, values bound, built into
 * an Arrow table while the rows arrive (never a JS array of rows). `after` null: from the first row.
 */
export function readPage(connection: Connection, shape: PageShape, after: Offset | null, upTo?: Offset): Promise<Page> {
  const builder = new PageBuilder(shape.plans, shape.keyIndex, shape.keyKind, shape.warnings);
  const conditions = [...(after === null ? [] : [`${shape.key} > ?`]), ...(upTo === undefined ? [] : [`${shape.key} <= ?`])];
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const sql = `SELECT ${shape.plans.map((plan) => plan.select).join(', ')} FROM ${shape.table}${where} ORDER BY ${shape.key} LIMIT ?`;
  const values = [...(after === null ? [] : [after]), ...(upTo === undefined ? [] : [upTo]), shape.batchSize];
  const core = (connection as unknown as { connection: CoreConnection }).connection;
  return new Promise((resolve, reject) => {
    let failure: unknown = null;
    core.query({ sql, values, rowsAsArray: true, typeCast: false })
      .on('result', (row) => {
        if (failure !== null) return;
        try {
          builder.append(row as unknown as RawValue[]);
        } catch (error) {
          // Thrown inside mysql2's parser it would break the connection: kept for 'end'.
          failure = error;
        }
      })
      .on('error', (error) => {
        failure ??= error;
      })
      .on('end', () => {
        if (failure !== null) return reject(failure);
        const lastKey = builder.lastKey();
        const rows = builder.rows;
        resolve({ table: builder.finish(), rows, lastKey });
      });
  });
}

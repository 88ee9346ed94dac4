import type { Connection as CoreConnection } from 'mysql2';
import type { Table } from 'apache-arrow';
import type { Offset } from '../../stages/offset.js';
import type { Connection } from './connection.js';
import type { PagePool } from './page-pool.js';
import { captureRows, captureRowsDocumented, hasRowParserInternals } from './wire/row-capture.js';
import type { ColumnPlan } from './source-types.js';

export interface Page {
  readonly table: Table;
  readonly rows: number;
  readonly lastKey: Offset | undefined;
  /** Gives the page's memory back once its table has been consumed. */
  readonly release: () => void;
}

/** What every page of one table read shares: columns, key, quoted names, page size. */
export interface PageShape {
  readonly plans: readonly ColumnPlan[];
  /** Back-quoted `db`.`table` and key column. */
  readonly table: string;
  readonly key: string;
  readonly batchSize: number;
  readonly pages: PagePool;
  /** Told once per process when mysql2's internals are not the expected ones (the slower path is used). */
  readonly warn: (message: string) => void;
}

let warnedOfFallback = false;

/**
 * One keyset page, `WHERE key > ? [AND key <= ?] ORDER BY key LIMIT ?`, values bound, built into
 * an Arrow table while the rows arrive (never a JS array of rows). `after` null: from the first row.
 */
export function readPage(connection: Connection, shape: PageShape, after: Offset | null, upTo?: Offset): Promise<Page> {
  const builder = shape.pages.acquire();
  const conditions = [...(after === null ? [] : [`${shape.key} > ?`]), ...(upTo === undefined ? [] : [`${shape.key} <= ?`])];
  const where = conditions.length === 0 ? '' : ` WHERE ${conditions.join(' AND ')}`;
  const sql = `SELECT ${shape.plans.map((plan) => plan.select).join(', ')} FROM ${shape.table}${where} ORDER BY ${shape.key} LIMIT ?`;
  const values = [...(after === null ? [] : [after]), ...(upTo === undefined ? [] : [upTo]), shape.batchSize];
  const core = (connection as unknown as { connection: CoreConnection }).connection;
  return new Promise((resolve, reject) => {
    let failure: unknown = null;
    // A streamed query whose connection dies gets no event of its own: mysql2 reports the loss
    // (and a query sent on a dead connection) on the connection. The page fails with it, and its
    // builder is left to the garbage collector rather than reused while rows might still land in it.
    const lost = (error: unknown) => {
      failure ??= error;
      reject(error);
    };
    core.once('error', lost);
    // typeCast/rowsAsArray matter only on the documented path; the fast path replaces the parser.
    const query = core.query({ sql, values, typeCast: false, rowsAsArray: true })
      .on('error', (error) => {
        failure ??= error;
        if ((error as { fatal?: boolean }).fatal) lost(error);
      })
      .on('end', () => {
        core.off('error', lost);
        failure ??= builder.failure;
        if (failure !== null) {
          shape.pages.release(builder);
          return reject(failure);
        }
        const { rows } = builder;
        const lastKey = builder.lastKeyOffset();
        let released = false;
        // Once only: a builder in the pool twice would hand one storage to two pages.
        const release = () => {
          if (!released) shape.pages.release(builder);
          released = true;
        };
        resolve({ table: builder.finish(), rows, lastKey, release });
      });
    // A value a column cannot hold is kept by the builder, not thrown inside mysql2's parser,
    // where it would break the connection; the query reads on to its end.
    if (hasRowParserInternals(query)) return captureRows(query, builder);
    if (!warnedOfFallback) {
      warnedOfFallback = true;
      shape.warn('this mysql2 version\'s internals are not the ones the fast row reader expects (query._rowParser): reading rows through its documented API instead, which is slower; values are the same. Install the mysql2 version package.json pins to get the speed back');
    }
    captureRowsDocumented(query, builder);
  });
}

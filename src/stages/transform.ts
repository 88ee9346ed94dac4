import type { Table } from 'apache-arrow';

/** A Transform runs in a worker thread: a record batch in, a record batch out. */
export interface Transform {
  transform(batch: Table): Table | Promise<Table>;
}

import { RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import { ValueError } from '../../../arrow/builders/column-builder.js';
import { FastlaneError } from '../../../errors.js';
import type { RawRow } from '../rest.js';
import type { ColumnPlan } from './column-plan.js';
import type { CellDecoder } from './cells.js';

/**
 * Turns the rows of REST pages into Arrow tables, column by column (each decoder's loop stays
 * monomorphic), straight from the API's JSON values into Arrow storage.
 */
export class PageDecoder {
  readonly schema: Schema;
  private readonly decoders: CellDecoder[];

  constructor(private readonly plans: readonly ColumnPlan[], private readonly where: string) {
    this.schema = new Schema(plans.map((p) => p.field));
    this.decoders = plans.map((p) => p.createDecoder());
  }

  /** The rows as one table; `firstRow` numbers them in errors. */
  decode(rows: readonly RawRow[], firstRow: number): Table {
    const count = rows.length;
    for (let c = 0; c < this.decoders.length; c++) {
      const decoder = this.decoders[c];
      let r = 0;
      try {
        for (; r < count; r++) decoder.add(rows[r].f[c].v);
      } catch (error) {
        // Leave the decoders empty for whoever decodes next.
        for (const d of this.decoders) d.finish();
        if (!(error instanceof ValueError) && !(error instanceof TypeError)) throw error;
        throw new FastlaneError('FL_SOURCE_DATA', `${this.where} row ${firstRow + r + 1}, column ${this.plans[c].name} (${this.plans[c].bigqueryType}): ${error.message}`, { cause: error });
      }
    }
    const children = this.decoders.map((d) => d.finish());
    const struct = makeData({ type: new Struct(this.schema.fields), length: count, nullCount: 0, children });
    return new Table(this.schema, [new RecordBatch(this.schema, struct)]);
  }
}

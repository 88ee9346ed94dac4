import { Field, RecordBatch, Schema, Struct, Table, makeData } from 'apache-arrow';
import type { ColumnBuilder } from './builders/column-builder.js';
import { JSON_METADATA_KEY, type ColumnType } from './column-types.js';

export interface ColumnSpec {
  readonly name: string;
  readonly type: ColumnType;
}

/** Assembles rows of text values into Arrow tables, one builder per column. */
export class TableBuilder {
  private readonly builders: ColumnBuilder[];
  private readonly fields: Field[];

  constructor(readonly columns: readonly ColumnSpec[]) {
    this.builders = columns.map((column) => column.type.createBuilder());
    this.fields = columns.map((column, i) => {
      const metadata = column.type.isJson ? new Map([[JSON_METADATA_KEY, 'json']]) : undefined;
      return new Field(column.name, this.builders[i].type, true, metadata);
    });
  }

  get length(): number {
    return this.builders[0]?.length ?? 0;
  }

  /** The builder of column i, for callers that append column by column. */
  builder(i: number): ColumnBuilder {
    return this.builders[i];
  }

  /** Returns the rows appended so far as a table and starts afresh. */
  finish(): Table {
    const length = this.length;
    const schema = new Schema(this.fields);
    const children = this.builders.map((b) => b.finish());
    const struct = makeData({ type: new Struct(schema.fields), length, nullCount: 0, children });
    return new Table(schema, [new RecordBatch(schema, struct)]);
  }
}

import { parseColumnType, type ColumnType } from '../../arrow/column-types.js';
import { TableBuilder } from '../../arrow/table-builder.js';
import { ValueError } from '../../arrow/builders/column-builder.js';
import { FastlaneError } from '../../errors.js';
import type { Offset } from '../../stages/offset.js';
import type { SourceBatch } from '../../stages/source.js';
import type { FileSourceConfig } from './config.js';
import { inferColumnType } from './infer.js';
import { KeyOrder } from './key-order.js';
import type { JsonKind } from './ndjson-parser.js';
import { CsvDecoder, NdjsonDecoder, RowError, type RowDecoder } from './row-decoders.js';
import { readLineChunks } from './text-chunks.js';
import type { RowView } from './rows.js';
import { VariableWidthBuilder } from '../../arrow/builders/text.js';

interface SampledRow {
  row: RowView;
  line: number;
  kinds?: JsonKind[];
}

/**
 * Reads a CSV or NDJSON file in batches: samples the first rows to settle column types (declared
 * ones win), then streams the rest through column builders. Memory holds one batch and one chunk.
 */
export class TextFileReader {
  private builder: TableBuilder | null = null;
  private keyIndex = -1;
  private keyOrder: KeyOrder | null = null;
  private lastKey: Offset | undefined;
  private readonly sample: SampledRow[] = [];
  private utf8Builders: (VariableWidthBuilder | null)[] = [];
  private readonly ready: SourceBatch[] = [];
  private readonly decoder: RowDecoder;

  constructor(private readonly config: FileSourceConfig, private readonly startAfter: Offset | null) {
    this.decoder = config.format === 'csv'
      ? new CsvDecoder({ delimiter: config.delimiter, nullValue: config.null_value })
      : new NdjsonDecoder(Object.keys(config.columns ?? {}));
  }

  async *batches(): AsyncGenerator<SourceBatch> {
    for await (const chunk of readLineChunks(this.config.path)) {
      this.feed(chunk, false);
      yield* this.ready.splice(0);
    }
    this.feed(Buffer.alloc(0), true);
    if (!this.builder) this.settleColumns();
    if (this.builder && this.builder.length > 0) this.emitBatch();
    yield* this.ready.splice(0);
  }

  private feed(chunk: Buffer, final: boolean): void {
    try {
      this.decoder.feed(chunk, final, (row, line, kinds) => {
        if (this.builder) return this.appendRow(row, line);
        this.sample.push({ row: row.detach(), line, kinds });
        if (this.sample.length >= this.config.infer_rows) this.settleColumns();
      });
    } catch (error) {
      if (error instanceof RowError) {
        const where = error.line > 0 ? `${this.config.path} line ${error.line}` : this.config.path;
        throw new FastlaneError('FL_SOURCE_DATA', `${where}: ${error.message}`, { cause: error });
      }
      throw error;
    }
  }

  /** Decides every column's type from the declared ones and the sample, then builds the sampled rows. */
  private settleColumns(): void {
    this.decoder.freeze();
    const names = this.decoder.columnNames();
    const declared = this.config.columns ?? {};
    for (const name of Object.keys(declared)) {
      if (!names.includes(name)) {
        throw new FastlaneError('FL_CONFIG_INVALID', `source.file.columns names '${name}', which ${this.config.path} does not have; its columns: ${names.join(', ')}`);
      }
    }
    const columns = names.map((name, i) => ({ name, type: this.columnType(name, declared[name], i) }));
    this.builder = new TableBuilder(columns);
    // Text columns take UTF-8 bytes as they are; every other type parses text.
    this.utf8Builders = columns.map((column, i) => {
      const builder = (this.builder as TableBuilder).builder(i);
      return column.type.name === 'utf8' || column.type.name === 'json' ? (builder as VariableWidthBuilder) : null;
    });
    this.setUpKey(names, columns.map((c) => c.type));
    for (const sampled of this.sample.splice(0)) this.appendRow(sampled.row, sampled.line);
  }

  private columnType(name: string, declared: string | undefined, index: number): ColumnType {
    const spec = declared ?? inferColumnType(
      this.sample.map((sampled) => (index < sampled.row.size ? sampled.row.text(index) : null)),
      this.sample[0]?.kinds ? this.sample.map((sampled) => sampled.kinds?.[index] ?? 'null') : undefined,
    );
    const type = parseColumnType(spec);
    if (!type) throw new FastlaneError('FL_CONFIG_INVALID', `source.file.columns.${name}: '${spec}' is not a column type`);
    return type;
  }

  private setUpKey(names: string[], types: ColumnType[]): void {
    if (!this.config.key) return;
    this.keyIndex = names.indexOf(this.config.key);
    if (this.keyIndex < 0) {
      throw new FastlaneError('FL_CONFIG_INVALID', `source.file.key '${this.config.key}' is not a column of ${this.config.path}; its columns: ${names.join(', ')}`);
    }
    this.keyOrder = new KeyOrder(this.config.path, types[this.keyIndex].name, this.startAfter);
  }

  private appendRow(row: RowView, line: number): void {
    const builder = this.builder as TableBuilder;
    if (this.keyOrder) {
      const key = this.keyOrder.read(row.text(this.keyIndex), line);
      if (this.keyOrder.alreadyLoaded(key)) return;
      this.lastKey = key;
    }
    const columns = builder.columns;
    const size = row.size;
    for (let i = 0; i < columns.length; i++) {
      try {
        if (i < size) row.appendTo(i, builder.builder(i), this.utf8Builders[i]);
        else builder.builder(i).append(null);
      } catch (error) {
        if (!(error instanceof ValueError)) throw error;
        throw new FastlaneError(
          'FL_SOURCE_DATA',
          `${this.config.path} line ${line}, column ${i + 1} (${columns[i].name}, ${columns[i].type.name}): ${error.message}`,
          { cause: error },
        );
      }
    }
    if (builder.length >= this.config.batch_size) this.emitBatch();
  }

  private emitBatch(): void {
    const table = (this.builder as TableBuilder).finish();
    this.ready.push(this.lastKey === undefined ? { table } : { table, lastKey: this.lastKey });
  }
}

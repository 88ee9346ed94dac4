import { CsvParser } from './csv-parser.js';
import { parseJsonObjectLine, type JsonKind } from './ndjson-parser.js';

export type RowSink = (values: (string | null)[], line: number, kinds?: JsonKind[]) => void;

/**
 * Turns a text file's chunks into rows of text values aligned to its columns.
 * A RowError carries the line the problem is on; the source adds the file name.
 */
export interface RowDecoder {
  feed(chunk: string, final: boolean, sink: RowSink): void;
  /** Column names seen so far (all of them once frozen). */
  columnNames(): string[];
  /** From now on an unknown column is an error (types have been settled). */
  freeze(): void;
}

export class RowError extends Error {
  constructor(readonly line: number, message: string) {
    super(message);
  }
}

export interface CsvDecoderOptions {
  readonly delimiter: string;
  readonly nullValue: string;
}

/** CSV with a header line naming the columns. */
export class CsvDecoder implements RowDecoder {
  private readonly parser: CsvParser;
  private header: string[] | null = null;

  constructor(options: CsvDecoderOptions) {
    this.parser = new CsvParser({ delimiter: options.delimiter, nullValue: options.nullValue });
  }

  feed(chunk: string, final: boolean, sink: RowSink): void {
    try {
      this.parser.feed(chunk, final, (record, line) => {
        if (this.header === null) {
          this.header = record.map((name, i) => name ?? `column_${i + 1}`);
          return;
        }
        if (record.length !== this.header.length) {
          throw new RowError(line, `has ${record.length} fields where the header has ${this.header.length}`);
        }
        sink(record, line);
      });
    } catch (error) {
      if (error instanceof RowError) throw error;
      throw new RowError(0, (error as Error).message);
    }
  }

  columnNames(): string[] {
    return this.header ?? [];
  }

  freeze(): void {}
}

/** Newline-delimited JSON objects; columns are the keys, in order of first appearance. */
export class NdjsonDecoder implements RowDecoder {
  private pending = '';
  private line = 0;
  private readonly names: string[] = [];
  private readonly index = new Map<string, number>();
  private frozen = false;

  /** `declared`: columns named in the config, known before any row is read. */
  constructor(declared: readonly string[] = []) {
    for (const name of declared) this.columnIndex(name);
  }

  feed(chunk: string, final: boolean, sink: RowSink): void {
    const text = this.pending + chunk;
    let start = 0;
    for (let end = text.indexOf('\n'); end >= 0; end = text.indexOf('\n', start)) {
      this.decodeLine(text.slice(start, end), sink);
      start = end + 1;
    }
    this.pending = text.slice(start);
    if (final && this.pending.length > 0) {
      this.decodeLine(this.pending, sink);
      this.pending = '';
    }
  }

  private decodeLine(raw: string, sink: RowSink): void {
    this.line++;
    if (raw.trim().length === 0) return;
    let fields;
    try {
      fields = parseJsonObjectLine(raw);
    } catch (error) {
      throw new RowError(this.line, (error as Error).message);
    }
    const values: (string | null)[] = new Array(this.names.length).fill(null);
    const kinds: JsonKind[] = new Array(this.names.length).fill('null');
    for (const [name, field] of fields) {
      const i = this.columnIndex(name);
      values[i] = field.text;
      kinds[i] = field.kind;
    }
    sink(values, this.line, kinds);
  }

  private columnIndex(name: string): number {
    let i = this.index.get(name);
    if (i === undefined) {
      if (this.frozen) {
        throw new RowError(this.line, `has a field '${name}' that the first rows did not have: declare it in "columns"`);
      }
      i = this.names.length;
      this.names.push(name);
      this.index.set(name, i);
    }
    return i;
  }

  columnNames(): string[] {
    return [...this.names];
  }

  freeze(): void {
    this.frozen = true;
  }
}

import { isUtf8 } from 'node:buffer';
import { CsvByteParser } from './csv-bytes.js';
import { parseJsonObjectLine, type JsonKind } from './ndjson-parser.js';
import { CsvRow, TextRow, type RowView } from './rows.js';

/** Receives each row; the row object may be reused for the next one (detach() to keep it). */
export type RowSink = (row: RowView, line: number, kinds?: JsonKind[]) => void;

/**
 * Turns a text file's chunks into rows of text values aligned to its columns.
 * A RowError carries the line the problem is on; the source adds the file name.
 */
export interface RowDecoder {
  /** Chunks end at a line feed (see readLineChunks). */
  feed(chunk: Buffer, final: boolean, sink: RowSink): void;
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

/** CSV with a header line naming the columns, parsed on bytes. */
export class CsvDecoder implements RowDecoder {
  private readonly parser: CsvByteParser;
  private readonly row: CsvRow;
  private header: string[] | null = null;
  private lastLine = 0;

  constructor(options: CsvDecoderOptions) {
    if (options.delimiter.length !== 1 || options.delimiter.charCodeAt(0) > 0x7f) {
      throw new RowError(0, 'the CSV delimiter must be one ASCII character');
    }
    this.parser = new CsvByteParser(options.delimiter.charCodeAt(0));
    this.row = new CsvRow(Buffer.from(options.nullValue, 'utf8'));
  }

  feed(chunk: Buffer, final: boolean, sink: RowSink): void {
    // Text columns are copied as bytes: check once per chunk that they are UTF-8.
    if (!isUtf8(chunk)) throw new RowError(this.lastLine + 1, 'is not valid UTF-8 (from this line on, within about a megabyte)');
    try {
      this.parser.feed(chunk, final, (record, line) => {
        this.lastLine = line;
        if (this.header === null) {
          this.header = Array.from({ length: record.count }, (_, i) => record.text(i) || `column_${i + 1}`);
          return;
        }
        if (record.count !== this.header.length) {
          throw new RowError(line, `has ${record.count} fields where the header has ${this.header.length}`);
        }
        this.row.record = record;
        sink(this.row, line);
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

  feed(chunk: Buffer, final: boolean, sink: RowSink): void {
    const text = this.pending + chunk.toString('utf8');
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
    sink(new TextRow(values), this.line, kinds);
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

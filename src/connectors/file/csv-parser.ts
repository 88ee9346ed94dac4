/** One parsed record: fields as text, null for an unquoted empty field (or the null marker). */
export type TextRecord = (string | null)[];

export interface CsvOptions {
  readonly delimiter: string;
  /** Unquoted field text that means NULL; a quoted field is always text. */
  readonly nullValue: string;
}

const QUOTE = 34;
const LF = 10;
const CR = 13;

/**
 * RFC 4180 CSV, fed in chunks: quoted fields with "" escapes and line breaks inside, LF or CRLF
 * record ends. Tracks the line each record starts on, for error messages.
 */
export class CsvParser {
  private pending = '';
  /** Line number (1-based) where the next record starts. */
  private line = 1;
  private readonly delimiter: number;

  constructor(private readonly options: CsvOptions) {
    if (options.delimiter.length !== 1) throw new Error('the CSV delimiter must be one character');
    this.delimiter = options.delimiter.charCodeAt(0);
  }

  /** Parses every complete record in `chunk` (after what is pending); `final` ends the input. */
  feed(chunk: string, final: boolean, onRecord: (record: TextRecord, line: number) => void): void {
    const text = this.pending.length > 0 ? this.pending + chunk : chunk;
    let pos = 0;
    while (pos < text.length) {
      const parsed = this.parseRecord(text, pos, final);
      if (parsed === null) break;
      // Blank lines carry no record.
      if (!parsed.blank) onRecord(parsed.record, this.line);
      this.line += parsed.newlines;
      pos = parsed.end;
    }
    this.pending = text.slice(pos);
    if (final && this.pending.length > 0) throw new Error(`unterminated quoted field starting on line ${this.line}`);
  }

  /** Parses one record from pos; null when the text ends before the record does. */
  private parseRecord(text: string, pos: number, final: boolean): ParsedRecord | null {
    return this.parseUnquotedLine(text, pos, final) ?? this.parseQuotedRecord(text, pos, final);
  }

  /**
   * The fast path, for a line without quotes (most lines of most files): one native split.
   * Returns undefined to hand a line with quotes to the full parser.
   */
  private parseUnquotedLine(text: string, pos: number, final: boolean): ParsedRecord | null | undefined {
    let end = text.indexOf('\n', pos);
    if (end < 0) {
      if (!final) return null;
      end = text.length;
    }
    const quote = text.indexOf('"', pos);
    if (quote >= 0 && quote < end) return undefined;
    const lineEnd = end > pos && text.charCodeAt(end - 1) === CR ? end - 1 : end;
    if (lineEnd === pos) return { record: [null], end: end + 1, newlines: 1, blank: true };
    const record: TextRecord = text.slice(pos, lineEnd).split(this.options.delimiter);
    const nullValue = this.options.nullValue;
    for (let i = 0; i < record.length; i++) if (record[i] === nullValue) record[i] = null;
    return { record, end: end + 1, newlines: 1, blank: false };
  }

  private parseQuotedRecord(text: string, pos: number, final: boolean): ParsedRecord | null {
    const record: TextRecord = [];
    let newlines = 0;
    let blank = true;
    for (;;) {
      let p = pos;
      if (text.charCodeAt(p) === QUOTE) {
        const quoted = readQuoted(text, p + 1, final);
        if (quoted === null) return null;
        record.push(quoted.value);
        newlines += quoted.newlines;
        p = quoted.end;
        blank = false;
      } else {
        while (p < text.length) {
          const c = text.charCodeAt(p);
          if (c === this.delimiter || c === LF || c === CR) break;
          p++;
        }
        const raw = text.slice(pos, p);
        if (raw.length > 0) blank = false;
        record.push(raw === this.options.nullValue ? null : raw);
      }
      if (p >= text.length) return final ? { record, end: p, newlines, blank: blank && record.length === 1 } : null;
      const c = text.charCodeAt(p);
      if (c === this.delimiter) {
        pos = p + 1;
        blank = false;
        continue;
      }
      if (c === CR) {
        if (p + 1 >= text.length && !final) return null;
        if (text.charCodeAt(p + 1) === LF) p++;
      } else if (c !== LF) {
        throw new Error(`line ${this.line + newlines}: unexpected character after a closing quote`);
      }
      return { record, end: p + 1, newlines: newlines + 1, blank: blank && record.length === 1 };
    }
  }
}

interface ParsedRecord {
  record: TextRecord;
  end: number;
  newlines: number;
  blank: boolean;
}

/** Reads a quoted field's body starting after its opening quote. */
function readQuoted(text: string, from: number, final: boolean): { value: string; end: number; newlines: number } | null {
  let value = '';
  let start = from;
  for (;;) {
    const close = text.indexOf('"', start);
    if (close < 0) return null;
    // A quote at the very end of a chunk may be the first of an escaped pair: wait for more text.
    if (close + 1 >= text.length && !final) return null;
    value += text.slice(start, close);
    if (text.charCodeAt(close + 1) === QUOTE) {
      value += '"';
      start = close + 2;
      continue;
    }
    return { value, end: close + 1, newlines: countNewlines(value) };
  }
}

function countNewlines(value: string): number {
  let count = 0;
  for (let i = value.indexOf('\n'); i >= 0; i = value.indexOf('\n', i + 1)) count++;
  return count;
}

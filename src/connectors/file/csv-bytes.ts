const QUOTE = 0x22;
const LF = 0x0a;
const CR = 0x0d;

/** How a field was written: bare, quoted, or quoted with "" escapes inside. */
export const enum FieldForm {
  Bare = 0,
  Quoted = 1,
  Escaped = 2,
}

/**
 * The fields of one CSV record as byte ranges of `bytes` (reused from record to record).
 * Quoted fields' ranges exclude the quotes; `form` tells whether "" escapes remain inside.
 */
export class CsvRecord {
  bytes: Buffer = Buffer.alloc(0);
  count = 0;
  starts: number[] = [];
  ends: number[] = [];
  forms: FieldForm[] = [];

  push(start: number, end: number, form: FieldForm): void {
    const i = this.count++;
    this.starts[i] = start;
    this.ends[i] = end;
    this.forms[i] = form;
  }

  /** The field's text, quotes unescaped (the slow path: sampling, errors, escaped fields). */
  text(i: number): string {
    const text = this.bytes.toString('utf8', this.starts[i], this.ends[i]);
    return this.forms[i] === FieldForm.Escaped ? text.replace(/""/g, '"') : text;
  }

  /** The field's bytes, quotes unescaped. A view when nothing needs unescaping. */
  raw(i: number): Uint8Array {
    if (this.forms[i] !== FieldForm.Escaped) return this.bytes.subarray(this.starts[i], this.ends[i]);
    return Buffer.from(this.text(i), 'utf8');
  }
}

/**
 * RFC 4180 CSV parsed on bytes, without decoding the file to strings: numbers and dates are read
 * from ASCII ranges, text is copied into Arrow as the UTF-8 bytes it already is. Chunks must end
 * at a line feed (a record split by a quoted line break is carried to the next chunk).
 */
export class CsvByteParser {
  private carry: Buffer | null = null;
  private line = 1;
  private readonly record = new CsvRecord();

  constructor(private readonly delimiter: number) {}

  /** Calls onRecord for each complete record; the record object is reused: read it at once. */
  feed(chunk: Buffer, final: boolean, onRecord: (record: CsvRecord, line: number) => void): void {
    this.emit = onRecord;
    const bytes = this.carry ? Buffer.concat([this.carry, chunk]) : chunk;
    this.carry = null;
    let pos = 0;
    while (pos < bytes.length) {
      const end = this.parseRecord(bytes, pos, final);
      if (end < 0) break;
      pos = end;
    }
    if (pos < bytes.length) {
      if (final) throw new Error(`unterminated quoted field starting on line ${this.line}`);
      this.carry = Buffer.from(bytes.subarray(pos));
    }
  }

  private emit: ((record: CsvRecord, line: number) => void) | null = null;

  /** Parses the record at pos and hands it on; returns the position after it, or -1 if incomplete. */
  private parseRecord(bytes: Buffer, pos: number, final: boolean): number {
    const record = this.record;
    record.bytes = bytes;
    record.count = 0;
    let newlines = 0;
    let p = pos;
    for (;;) {
      if (bytes[p] === QUOTE) {
        let form = FieldForm.Quoted;
        let q = p + 1;
        for (;;) {
          q = bytes.indexOf(QUOTE, q);
          if (q < 0 || (q + 1 >= bytes.length && !final)) return -1;
          if (bytes[q + 1] === QUOTE) {
            form = FieldForm.Escaped;
            q += 2;
            continue;
          }
          break;
        }
        newlines += countLineFeeds(bytes, p + 1, q);
        record.push(p + 1, q, form);
        p = q + 1;
      } else {
        const start = p;
        while (p < bytes.length) {
          const c = bytes[p];
          if (c === this.delimiter || c === LF || c === CR) break;
          p++;
        }
        record.push(start, p, FieldForm.Bare);
      }
      if (p >= bytes.length) {
        if (!final) return -1;
        this.deliver(newlines);
        return p;
      }
      const c = bytes[p];
      if (c === this.delimiter) {
        p++;
        continue;
      }
      if (c === CR) {
        if (p + 1 >= bytes.length && !final) return -1;
        if (bytes[p + 1] === LF) p++;
      } else if (c !== LF) {
        throw new Error(`line ${this.line + newlines}: unexpected character after a closing quote`);
      }
      this.deliver(newlines + 1);
      return p + 1;
    }
  }

  private deliver(newlines: number): void {
    const record = this.record;
    const blank = record.count === 1 && record.forms[0] === FieldForm.Bare && record.starts[0] === record.ends[0];
    if (!blank) this.emit?.(record, this.line);
    this.line += newlines;
  }
}

function countLineFeeds(bytes: Buffer, from: number, to: number): number {
  let count = 0;
  for (let i = bytes.indexOf(LF, from); i >= 0 && i < to; i = bytes.indexOf(LF, i + 1)) count++;
  return count;
}

/** What a top-level JSON value was, for type inference. */
export type JsonKind = 'string' | 'number' | 'bool' | 'null' | 'nested';

/** A top-level field of an NDJSON object: its kind and its text (numbers keep their digits). */
export interface JsonField {
  readonly kind: JsonKind;
  readonly text: string | null;
}

/**
 * Parses one NDJSON line into its top-level fields without JSON.parse's number conversion, so
 * integers beyond 2^53 and long decimals keep every digit. Nested objects and arrays come back as
 * their source text (for `json` columns).
 */
export function parseJsonObjectLine(line: string): Map<string, JsonField> {
  const reader = new Reader(line);
  const fields = new Map<string, JsonField>();
  reader.skipSpace();
  reader.expect('{');
  reader.skipSpace();
  if (reader.peek() === '}') {
    reader.pos++;
  } else {
    for (;;) {
      reader.skipSpace();
      const key = reader.readString();
      reader.skipSpace();
      reader.expect(':');
      reader.skipSpace();
      fields.set(key, reader.readValue());
      reader.skipSpace();
      if (reader.peek() === ',') {
        reader.pos++;
        continue;
      }
      reader.expect('}');
      break;
    }
  }
  reader.skipSpace();
  if (reader.pos < line.length) reader.fail('text after the closing brace');
  return fields;
}

const NUMBER = /-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/y;

class Reader {
  pos = 0;

  constructor(private readonly text: string) {}

  peek(): string {
    return this.text[this.pos];
  }

  skipSpace(): void {
    while (this.pos < this.text.length) {
      const c = this.text.charCodeAt(this.pos);
      if (c !== 32 && c !== 9 && c !== 13 && c !== 10) break;
      this.pos++;
    }
  }

  expect(char: string): void {
    if (this.text[this.pos] !== char) this.fail(`expected '${char}'`);
    this.pos++;
  }

  fail(what: string): never {
    throw new SyntaxError(`invalid JSON at column ${this.pos + 1}: ${what}`);
  }

  readString(): string {
    if (this.text[this.pos] !== '"') this.fail('expected a string');
    const start = this.pos;
    this.pos = this.endOfString(start);
    const raw = this.text.slice(start + 1, this.pos - 1);
    return raw.includes('\\') ? (JSON.parse(this.text.slice(start, this.pos)) as string) : raw;
  }

  /** Position just after the string that opens at `start`. */
  private endOfString(start: number): number {
    let p = start + 1;
    for (;;) {
      const quote = this.text.indexOf('"', p);
      if (quote < 0) {
        this.pos = this.text.length;
        this.fail('unterminated string');
      }
      let backslashes = 0;
      for (let i = quote - 1; this.text[i] === '\\'; i--) backslashes++;
      if (backslashes % 2 === 0) return quote + 1;
      p = quote + 1;
    }
  }

  readValue(): JsonField {
    const c = this.text[this.pos];
    if (c === '"') return { kind: 'string', text: this.readString() };
    if (c === '{' || c === '[') return { kind: 'nested', text: this.readNested() };
    if (this.text.startsWith('true', this.pos)) return this.word('true', 'bool');
    if (this.text.startsWith('false', this.pos)) return this.word('false', 'bool');
    if (this.text.startsWith('null', this.pos)) return this.word('null', 'null');
    NUMBER.lastIndex = this.pos;
    const m = NUMBER.exec(this.text);
    if (!m) this.fail('expected a value');
    this.pos += m[0].length;
    return { kind: 'number', text: m[0] };
  }

  private word(word: string, kind: JsonKind): JsonField {
    this.pos += word.length;
    return { kind, text: kind === 'null' ? null : word };
  }

  /** The source text of a nested object or array, checked for balance (and validity by JSON.parse). */
  private readNested(): string {
    const start = this.pos;
    let depth = 0;
    while (this.pos < this.text.length) {
      const c = this.text[this.pos];
      if (c === '"') {
        this.pos = this.endOfString(this.pos);
        continue;
      }
      if (c === '{' || c === '[') depth++;
      else if (c === '}' || c === ']') depth--;
      this.pos++;
      if (depth === 0) {
        const source = this.text.slice(start, this.pos);
        try {
          JSON.parse(source);
        } catch (error) {
          this.fail(`nested value: ${(error as Error).message}`);
        }
        return source;
      }
    }
    return this.fail('unterminated object or array');
  }
}

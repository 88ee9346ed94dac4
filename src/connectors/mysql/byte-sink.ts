/** Bytes LOAD DATA's default `ESCAPED BY '\\'` needs escaped, mapped to the letter after the backslash. */
const ESCAPES = new Uint8Array(256);
ESCAPES[0x00] = 0x30; // \0
ESCAPES[0x09] = 0x74; // \t (the field separator)
ESCAPES[0x0a] = 0x6e; // \n (the line separator)
ESCAPES[0x0d] = 0x72; // \r
ESCAPES[0x5c] = 0x5c; // \\

const BACKSLASH = 0x5c;

/** A growing output buffer for LOAD DATA text: values are appended as ASCII or escaped bytes. */
export class ByteSink {
  buffer = Buffer.allocUnsafe(1 << 20);
  length = 0;

  protected reserve(extra: number): void {
    if (this.length + extra <= this.buffer.length) return;
    let capacity = this.buffer.length * 2;
    while (capacity < this.length + extra) capacity *= 2;
    const next = Buffer.allocUnsafe(capacity);
    this.buffer.copy(next, 0, 0, this.length);
    this.buffer = next;
  }

  /** ASCII text that needs no escaping (numbers, dates). */
  ascii(text: string): void {
    this.reserve(text.length);
    this.length += this.buffer.write(text, this.length, 'latin1');
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Raw bytes (UTF-8 text or binary), with tab, newline, CR, NUL and backslash escaped. */
  escaped(source: Uint8Array, start: number, end: number): void {
    this.reserve((end - start) * 2);
    const out = this.buffer;
    let at = this.length;
    let run = start;
    for (let i = start; i < end; i++) {
      const letter = ESCAPES[source[i]];
      if (letter === 0) continue;
      if (i > run) {
        out.set(source.subarray(run, i), at);
        at += i - run;
      }
      out[at++] = BACKSLASH;
      out[at++] = letter;
      run = i + 1;
    }
    if (end > run) {
      out.set(source.subarray(run, end), at);
      at += end - run;
    }
    this.length = at;
  }

  /** The bytes written so far, copied out; the sink starts afresh. */
  take(): Buffer {
    const out = Buffer.from(this.buffer.subarray(0, this.length));
    this.length = 0;
    return out;
  }
}

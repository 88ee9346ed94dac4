import { GrowableBytes } from '../../arrow/builders/growable.js';

/** Bytes LOAD DATA's default `ESCAPED BY '\\'` needs escaped, mapped to the letter after the backslash. */
const ESCAPES = new Uint8Array(256);
ESCAPES[0x00] = 0x30; // \0
ESCAPES[0x09] = 0x74; // \t (the field separator)
ESCAPES[0x0a] = 0x6e; // \n (the line separator)
ESCAPES[0x0d] = 0x72; // \r
ESCAPES[0x5c] = 0x5c; // \\

const BACKSLASH = 0x5c;

/** A growing output buffer for LOAD DATA text: values are appended as ASCII or escaped bytes. */
export class ByteSink extends GrowableBytes {
  constructor() {
    super(1 << 20);
  }

  /** ASCII text that needs no escaping (numbers, dates). */
  ascii(text: string): void {
    this.reserve(text.length);
    this.length += this.buffer.write(text, this.length, 'latin1');
  }

  /** An integer of at most 15 digits (exact as a double), in decimal. */
  integer(value: number): void {
    this.reserve(17);
    const out = this.buffer;
    let at = this.length;
    if (value < 0) {
      out[at++] = 0x2d;
      value = -value;
    }
    let digits = 1;
    for (let rest = value; rest >= 10; rest = Math.floor(rest / 10)) digits++;
    at += digits;
    for (let p = at - 1; p >= at - digits; p--) {
      const next = Math.floor(value / 10);
      out[p] = 0x30 + (value - next * 10);
      value = next;
    }
    this.length = at;
  }

  /** A non-negative integer below 10^width, zero-padded to `width` digits. */
  padded(value: number, width: number): void {
    this.reserve(width);
    const out = this.buffer;
    const at = this.length;
    for (let p = at + width - 1; p >= at; p--) {
      const next = Math.floor(value / 10);
      out[p] = 0x30 + (value - next * 10);
      value = next;
    }
    this.length = at + width;
  }

  byte(value: number): void {
    this.reserve(1);
    this.buffer[this.length++] = value;
  }

  /** Raw bytes (UTF-8 text or binary), with tab, newline, CR, NUL and backslash escaped. */
  escaped(source: Uint8Array, start: number, end: number): void {
    this.reserve((end - start) * 2);
    // Most values need no escape: find the first byte that does, copy up to it in one call.
    let clean = start;
    while (clean < end && ESCAPES[source[clean]] === 0) clean++;
    const out = this.buffer;
    let at = this.length;
    if (clean - start < 24) for (let i = start; i < clean; i++) out[at++] = source[i];
    else {
      out.set(source.subarray(start, clean), at);
      at += clean - start;
    }
    for (let i = clean; i < end; i++) {
      const byte = source[i];
      const letter = ESCAPES[byte];
      if (letter === 0) out[at++] = byte;
      else {
        out[at++] = BACKSLASH;
        out[at++] = letter;
      }
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

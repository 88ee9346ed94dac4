import type { GrowableBytes } from '../../arrow/builders/growable.js';
import { BSON, cstringEnd, int32At, valueEnd } from './bson-bytes.js';
import { jsonText } from './json-text.js';

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Writes a BSON value as JSON text (the same text as jsonText) straight into `out`: documents,
 * arrays, strings and 32-bit integers byte by byte, without a JS string per value; other values
 * through jsonText. UTF-8 bytes are valid JSON as they are, so only quotes, backslashes and
 * control characters need escaping.
 */
export function writeJson(buf: Buffer, type: number, at: number, end: number, out: GrowableBytes): void {
  switch (type) {
    case BSON.DOCUMENT: case BSON.ARRAY: writeDocument(buf, at, type === BSON.ARRAY, out); return;
    case BSON.STRING: writeString(buf, at + 4, at + 3 + int32At(buf, at), out); return;
    case BSON.INT32: ascii(String(int32At(buf, at)), out); return;
    case BSON.BOOLEAN: ascii(buf[at] === 0 ? 'false' : 'true', out); return;
    case BSON.NULL: case BSON.UNDEFINED: ascii('null', out); return;
    default: {
      const text = jsonText(buf, type, at, end);
      out.reserve(text.length * 3);
      out.length += out.buffer.write(text, out.length, 'utf8');
    }
  }
}

function writeDocument(buf: Buffer, start: number, isArray: boolean, out: GrowableBytes): void {
  const end = start + int32At(buf, start) - 1;
  byte(isArray ? 0x5b : 0x7b, out);
  let at = start + 4;
  let first = true;
  while (at < end) {
    const type = buf[at];
    const nameEnd = cstringEnd(buf, at + 1, end);
    const stop = valueEnd(buf, type, nameEnd, end);
    if (!first) byte(0x2c, out);
    first = false;
    if (!isArray) {
      writeString(buf, at + 1, nameEnd - 1, out);
      byte(0x3a, out);
    }
    writeJson(buf, type, nameEnd, stop, out);
    at = stop;
  }
  byte(isArray ? 0x5d : 0x7d, out);
}

function writeString(buf: Buffer, start: number, end: number, out: GrowableBytes): void {
  for (let i = start; i < end; i++) {
    const b = buf[i];
    if (b < 0x20 || b === QUOTE || b === BACKSLASH) {
      ascii(JSON.stringify(buf.toString('utf8', start, end)), out, 'utf8');
      return;
    }
  }
  out.reserve(end - start + 2);
  out.buffer[out.length++] = QUOTE;
  buf.copy(out.buffer, out.length, start, end);
  out.length += end - start;
  out.buffer[out.length++] = QUOTE;
}

function byte(value: number, out: GrowableBytes): void {
  out.reserve(1);
  out.buffer[out.length++] = value;
}

function ascii(text: string, out: GrowableBytes, encoding: 'latin1' | 'utf8' = 'latin1'): void {
  out.reserve(text.length * 3);
  out.length += out.buffer.write(text, out.length, encoding);
}

import { makeData, Binary, Utf8, type Data, type DataType } from 'apache-arrow';
import { ValueError, type ColumnBuilder } from './column-builder.js';
import { GrowableBytes, ValidityBits } from './growable.js';

/** Variable-width columns: UTF-8 strings or bytes, with Int32 offsets. */
export abstract class VariableWidthBuilder implements ColumnBuilder {
  length = 0;
  private readonly validity = new ValidityBits();
  protected bytes = new GrowableBytes(64 * 1024);
  private offsets = new Int32Array(1025);

  constructor(readonly type: DataType) {}

  append(text: string | null): void {
    if (text !== null) this.write(text);
    this.close(text !== null);
  }

  /** Appends raw bytes as one value: binary from drivers, UTF-8 text copied from a file. */
  appendBytes(value: Uint8Array | null): void {
    if (value !== null) {
      this.bytes.reserve(value.length);
      this.bytes.buffer.set(value, this.bytes.length);
      this.bytes.length += value.length;
    }
    this.close(value !== null);
  }

  /** Ends the value whose bytes were just written: records its end offset and validity. */
  private close(valid: boolean): void {
    const index = this.length;
    if (index + 1 >= this.offsets.length) {
      const next = new Int32Array(this.offsets.length * 2);
      next.set(this.offsets);
      this.offsets = next;
    }
    this.validity.set(index, valid);
    this.offsets[index + 1] = this.bytes.length;
    this.length = index + 1;
  }

  protected abstract write(text: string): void;

  finish(): Data {
    const length = this.length;
    const nullCount = this.validity.nullCount;
    const nullBitmap = this.validity.take(length);
    const valueOffsets = this.offsets.slice(0, length + 1);
    const data = this.bytes.copy();
    this.offsets = new Int32Array(1025);
    this.bytes.length = 0;
    this.length = 0;
    if (data.length > 0x7fffffff) throw new ValueError('a batch holds over 2 GiB of text: lower batch_size');
    return makeData({ type: this.type as never, length, nullCount, nullBitmap, valueOffsets, data } as never);
  }
}

/** UTF-8 text (also JSON documents, kept as their text so big integers inside stay exact). */
export class Utf8Builder extends VariableWidthBuilder {
  constructor() {
    super(new Utf8());
  }

  protected write(text: string): void {
    // A UTF-16 code unit takes at most 3 UTF-8 bytes.
    this.bytes.reserve(text.length * 3);
    this.bytes.length += this.bytes.buffer.write(text, this.bytes.length, 'utf8');
  }
}

const BASE64 = /^[A-Za-z0-9+/]*={0,2}$/;
const HEX = /^(?:0x|\\x)?([0-9a-fA-F]{2})*$/;

/** Bytes, written in text files as base64 (default) or hex. */
export class BinaryBuilder extends VariableWidthBuilder {
  constructor(private readonly encoding: 'base64' | 'hex' = 'base64') {
    super(new Binary());
  }

  protected write(text: string): void {
    const decoded = this.decode(text);
    this.bytes.reserve(decoded.length);
    this.bytes.buffer.set(decoded, this.bytes.length);
    this.bytes.length += decoded.length;
  }

  private decode(text: string): Buffer {
    if (this.encoding === 'hex') {
      if (!HEX.test(text)) throw new ValueError(`'${abbreviate(text)}' is not hex-encoded bytes`);
      return Buffer.from(text.replace(/^(?:0x|\\x)/, ''), 'hex');
    }
    if (text.length % 4 !== 0 || !BASE64.test(text)) throw new ValueError(`'${abbreviate(text)}' is not base64-encoded bytes`);
    return Buffer.from(text, 'base64');
  }
}

function abbreviate(text: string): string {
  return text.length > 40 ? `${text.slice(0, 37)}...` : text;
}

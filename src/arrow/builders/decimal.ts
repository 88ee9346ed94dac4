import { Decimal } from 'apache-arrow';
import { FixedColumn, ValueError } from './column-builder.js';
import { SimpleFixedBuilder } from './simple-fixed.js';

const DECIMAL = /^([+-])?(\d*)(?:\.(\d*))?$/;

/**
 * Exact decimals: the text's digits become a scaled integer, stored little-endian in
 * two's complement, 128 bits up to 38 digits, 256 bits up to 76. Never goes through a float.
 */
export class DecimalBuilder extends SimpleFixedBuilder<Uint32Array> {
  private readonly words: number;

  constructor(readonly precision: number, readonly scale: number) {
    const bits = precision <= 38 ? 128 : 256;
    super(new Decimal(scale, precision, bits), new FixedColumn((n) => new Uint32Array(n)), bits / 32);
    this.words = bits / 32;
  }

  protected store(values: Uint32Array, index: number, text: string): void {
    writeWords(this.parse(text), values, index * this.words, this.words);
  }

  /** The scaled integer of a decimal text, checked against precision and scale. */
  parse(text: string): bigint {
    const m = DECIMAL.exec(text);
    if (!m || (m[2] === '' && (m[3] ?? '') === '')) throw new ValueError(`'${text}' is not a decimal number`);
    const fraction = m[3] ?? '';
    if (fraction.length > this.scale && /[1-9]/.test(fraction.slice(this.scale))) {
      throw new ValueError(`'${text}' has more than ${this.scale} decimal places`);
    }
    const integer = m[2].replace(/^0+(?=\d)/, '');
    const digits = `${integer}${fraction.slice(0, this.scale).padEnd(this.scale, '0')}`.replace(/^0+(?=\d)/, '');
    if (integer !== '0' && integer !== '' && integer.length > this.precision - this.scale) {
      throw new ValueError(`'${text}' has more than ${this.precision - this.scale} digits before the point`);
    }
    const value = BigInt(digits || '0');
    return m[1] === '-' ? -value : value;
  }
}

/** Writes a signed integer as `count` little-endian 32-bit words of two's complement. */
export function writeWords(value: bigint, out: Uint32Array, offset: number, count: number): void {
  if (value >= -(2n ** 31n) && value < 2n ** 31n) {
    const small = Number(value);
    out[offset] = small >>> 0;
    const fill = small < 0 ? 0xffffffff : 0;
    for (let i = 1; i < count; i++) out[offset + i] = fill;
    return;
  }
  let rest = BigInt.asUintN(count * 32, value);
  for (let i = 0; i < count; i++) {
    out[offset + i] = Number(rest & 0xffffffffn);
    rest >>= 32n;
  }
}

/** Reads back what writeWords wrote. */
export function readWords(words: Uint32Array, offset: number, count: number): bigint {
  let value = 0n;
  for (let i = count - 1; i >= 0; i--) value = (value << 32n) | BigInt(words[offset + i]);
  return BigInt.asIntN(count * 32, value);
}

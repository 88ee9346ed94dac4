import { BsonFormatError } from './bson-bytes.js';

/** A finite Decimal128 as coefficient x 10^exponent; null for NaN and the infinities. */
export interface DecimalParts {
  readonly coefficient: bigint;
  readonly exponent: number;
}

const EXPONENT_BIAS = 6176;

/** Reads the IEEE 754-2008 BID encoding that BSON uses, exactly (no float on the way). */
export function readDecimal128(buf: Uint8Array, at: number): DecimalParts | null {
  const word = (i: number): bigint => BigInt((buf[at + i] | (buf[at + i + 1] << 8) | (buf[at + i + 2] << 16) | (buf[at + i + 3] << 24)) >>> 0);
  const low = word(0) | (word(4) << 32n);
  const high = word(8) | (word(12) << 32n);
  const negative = (high >> 63n) === 1n;
  const combination = Number((high >> 58n) & 0x1fn);
  if (combination === 0x1f || combination === 0x1e) return null;
  let biased: number;
  let coefficientHigh: bigint;
  if ((high >> 61n & 3n) === 3n) {
    // The form for coefficients above 2^113: never canonical for Decimal128, read as zero.
    biased = Number((high >> 47n) & 0x3fffn);
    coefficientHigh = -1n;
  } else {
    biased = Number((high >> 49n) & 0x3fffn);
    coefficientHigh = high & 0x1ffffffffffffn;
  }
  const coefficient = coefficientHigh < 0n ? 0n : (coefficientHigh << 64n) | low;
  if (coefficient >= 10n ** 34n) throw new BsonFormatError('a Decimal128 holds a coefficient of more than 34 digits');
  return { coefficient: negative ? -coefficient : coefficient, exponent: biased - EXPONENT_BIAS };
}

/** The exact decimal text of a Decimal128 (plain notation). */
export function decimalText(parts: DecimalParts | null, buf: Uint8Array, at: number): string {
  if (parts === null) return (buf[at + 15] & 0x7c) === 0x7c ? 'NaN' : (buf[at + 15] & 0x80) !== 0 ? '-Infinity' : 'Infinity';
  const negative = parts.coefficient < 0n;
  let digits = (negative ? -parts.coefficient : parts.coefficient).toString();
  if (parts.exponent >= 0) digits += '0'.repeat(parts.exponent);
  else {
    const scale = -parts.exponent;
    digits = digits.padStart(scale + 1, '0');
    digits = `${digits.slice(0, digits.length - scale)}.${digits.slice(digits.length - scale)}`;
  }
  return negative ? `-${digits}` : digits;
}

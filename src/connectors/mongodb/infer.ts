import { FastlaneError } from '../../errors.js';
import { BSON, cstringEnd, int32At, valueEnd } from './bson-bytes.js';
import type { ColumnKind, ColumnType } from './columns.js';
import { readDecimal128 } from './decimal128.js';
import type { ColumnPlan } from './page.js';

/** What the sample saw of one field: its BSON types and the largest decimal scale. */
interface FieldSeen {
  readonly types: Set<number>;
  scale: number;
}

const INTEGERS = new Set<number>([BSON.INT32, BSON.INT64]);
const NUMBERS = new Set<number>([BSON.INT32, BSON.INT64, BSON.DOUBLE]);
const DECIMALS = new Set<number>([BSON.INT32, BSON.INT64, BSON.DECIMAL128]);
const SINGLE: Record<number, ColumnKind> = {
  [BSON.STRING]: 'string', [BSON.SYMBOL]: 'string', [BSON.OBJECT_ID]: 'objectid', [BSON.INT32]: 'int32', [BSON.INT64]: 'int64',
  [BSON.DOUBLE]: 'double', [BSON.BOOLEAN]: 'bool', [BSON.DATE]: 'date', [BSON.BINARY]: 'binary',
};

/**
 * The columns of a sample of documents, in first-seen order, each typed by the types it holds:
 * one type maps to its own column type; int32 with int64 widens to int64, integers with doubles
 * to double, integers with decimals to decimal; anything else mixed, documents and arrays become
 * JSON text.
 */
export function inferColumns(documents: readonly Buffer[], flatten: boolean): ColumnPlan[] {
  const seen = new Map<string, FieldSeen>();
  for (const doc of documents) scan(doc, 0, '', seen, flatten);
  return [...seen].map(([name, field]) => ({ name, type: typeOf(field) }));
}

function scan(buf: Buffer, start: number, prefix: string, seen: Map<string, FieldSeen>, flatten: boolean): void {
  const end = start + int32At(buf, start) - 1;
  let at = start + 4;
  while (at < end) {
    const type = buf[at];
    const nameEnd = cstringEnd(buf, at + 1, end);
    const name = prefix + buf.toString('utf8', at + 1, nameEnd - 1);
    const stop = valueEnd(buf, type, nameEnd, end);
    if (flatten && type === BSON.DOCUMENT) scan(buf, nameEnd, `${name}.`, seen, flatten);
    else {
      const field = seen.get(name) ?? { types: new Set<number>(), scale: 0 };
      seen.set(name, field);
      if (type !== BSON.NULL && type !== BSON.UNDEFINED) field.types.add(type);
      if (type === BSON.DECIMAL128) field.scale = Math.max(field.scale, -(readDecimal128(buf, nameEnd)?.exponent ?? 0));
    }
    at = stop;
  }
}

function typeOf(field: FieldSeen): ColumnType {
  const types = [...field.types];
  if (types.length === 1 && SINGLE[types[0]]) return decimalOr({ kind: SINGLE[types[0]] }, field);
  if (types.length > 1 && types.every((t) => INTEGERS.has(t))) return { kind: 'int64' };
  if (types.length > 1 && types.every((t) => NUMBERS.has(t))) return { kind: 'double' };
  if (types.length >= 1 && types.every((t) => DECIMALS.has(t)) && types.includes(BSON.DECIMAL128)) return decimalType(field.scale);
  return { kind: 'json' };
}

function decimalOr(type: ColumnType, field: FieldSeen): ColumnType {
  return field.types.has(BSON.DECIMAL128) ? decimalType(field.scale) : type;
}

function decimalType(scale: number): ColumnType {
  return { kind: 'decimal', precision: 38, scale: Math.min(Math.max(scale, 0), 38) };
}

const DECLARED = /^decimal\(\s*(\d{1,2})\s*,\s*(\d{1,2})\s*\)$/;

/** A type as `columns` declares it (the schema has checked the spelling). */
export function declaredType(spec: string, field: string): ColumnType {
  const decimal = DECLARED.exec(spec);
  if (!decimal) return { kind: spec as ColumnKind };
  const precision = Number(decimal[1]);
  const scale = Number(decimal[2]);
  if (precision < 1 || precision > 38 || scale > precision) {
    throw new FastlaneError('FL_CONFIG_INVALID', `source.mongodb.columns.${field}: ${spec} needs 1 <= precision <= 38 and scale <= precision`);
  }
  return { kind: 'decimal', precision, scale };
}

import { BSON, cstringEnd, dateMillis, int32At, int64At, objectIdHex, valueEnd } from './bson-bytes.js';
import { decimalText, readDecimal128 } from './decimal128.js';

/**
 * A BSON value as JSON text, exactly: 64-bit integers and decimals as their full digits, ObjectIds
 * as hex strings, dates as ISO 8601 UTC strings, binary as base64 strings. Values JSON has no
 * form for keep their Extended JSON form ({"$numberDouble": "NaN"}, {"$regex": ...}).
 */
export function jsonText(buf: Buffer, type: number, at: number, end: number): string {
  switch (type) {
    case BSON.DOCUMENT: return documentText(buf, at, false);
    case BSON.ARRAY: return documentText(buf, at, true);
    case BSON.STRING: case BSON.SYMBOL: return JSON.stringify(buf.toString('utf8', at + 4, at + 3 + int32At(buf, at)));
    case BSON.INT32: return String(int32At(buf, at));
    case BSON.INT64: return int64At(buf, at).toString();
    case BSON.DOUBLE: return doubleText(buf.readDoubleLE(at));
    case BSON.DECIMAL128: return decimalJson(buf, at);
    case BSON.BOOLEAN: return buf[at] === 0 ? 'false' : 'true';
    case BSON.NULL: case BSON.UNDEFINED: return 'null';
    case BSON.OBJECT_ID: return `"${objectIdHex(buf, at)}"`;
    case BSON.DATE: return dateText(dateMillis(buf, at));
    case BSON.BINARY: return JSON.stringify(buf.toString('base64', at + 5, at + 5 + int32At(buf, at)));
    default: return extendedJson(buf, type, at, end);
  }
}

function documentText(buf: Buffer, start: number, isArray: boolean): string {
  const end = start + int32At(buf, start) - 1;
  const parts: string[] = [];
  let at = start + 4;
  while (at < end) {
    const type = buf[at];
    const nameEnd = cstringEnd(buf, at + 1, end);
    const valueStop = valueEnd(buf, type, nameEnd, end);
    const value = jsonText(buf, type, nameEnd, valueStop);
    parts.push(isArray ? value : `${JSON.stringify(buf.toString('utf8', at + 1, nameEnd - 1))}:${value}`);
    at = valueStop;
  }
  return isArray ? `[${parts.join(',')}]` : `{${parts.join(',')}}`;
}

function doubleText(value: number): string {
  if (Number.isFinite(value)) return Object.is(value, -0) ? '-0.0' : String(value);
  return `{"$numberDouble":"${Number.isNaN(value) ? 'NaN' : value > 0 ? 'Infinity' : '-Infinity'}"}`;
}

function decimalJson(buf: Buffer, at: number): string {
  const parts = readDecimal128(buf, at);
  const text = decimalText(parts, buf, at);
  return parts === null ? `{"$numberDecimal":"${text}"}` : text;
}

/** ISO 8601 in UTC; years outside 0..9999 as Extended JSON's {"$date": {"$numberLong": ms}}. */
export function dateText(ms: number): string {
  const date = new Date(ms);
  const year = date.getUTCFullYear();
  if (Number.isNaN(year) || year < 0 || year > 9999) return `{"$date":{"$numberLong":"${ms}"}}`;
  return `"${date.toISOString()}"`;
}


function extendedJson(buf: Buffer, type: number, at: number, end: number): string {
  switch (type) {
    case BSON.TIMESTAMP: return `{"$timestamp":{"t":${int32At(buf, at + 4) >>> 0},"i":${int32At(buf, at) >>> 0}}}`;
    case BSON.MIN_KEY: return '{"$minKey":1}';
    case BSON.MAX_KEY: return '{"$maxKey":1}';
    case BSON.REGEX: {
      const patternEnd = cstringEnd(buf, at, end);
      return `{"$regularExpression":{"pattern":${JSON.stringify(buf.toString('utf8', at, patternEnd - 1))},"options":${JSON.stringify(buf.toString('utf8', patternEnd, end - 1))}}}`;
    }
    case BSON.CODE: return `{"$code":${JSON.stringify(buf.toString('utf8', at + 4, at + 3 + int32At(buf, at)))}}`;
    default: return `{"$bsonType":${type}}`;
  }
}

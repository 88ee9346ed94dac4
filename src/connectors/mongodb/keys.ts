import { Double, Long, ObjectId, type Document } from 'bson';
import { FastlaneError } from '../../errors.js';
import { isCompositeOffset, type Offset, type OffsetPart } from '../../stages/offset.js';
import { BSON, TYPE_NAMES, cstringEnd, dateMillis, int32At, int64At, objectIdHex, valueEnd } from './bson-bytes.js';

/** Offset part kinds: one per key type a resumable order supports. */
type KeyKind = 'number' | 'string' | 'objectId' | 'date';

/** Where a field's value sits in a document: its type byte and value bytes. */
interface Element {
  readonly type: number;
  readonly at: number;
  readonly end: number;
}

/** Finds a field (a dotted path reaches into sub-documents) in a raw document; null when absent. */
export function findElement(buf: Buffer, start: number, path: readonly string[]): Element | null {
  const end = start + int32At(buf, start) - 1;
  let at = start + 4;
  while (at < end) {
    const type = buf[at];
    const nameEnd = cstringEnd(buf, at + 1, end);
    const stop = valueEnd(buf, type, nameEnd, end);
    if (buf.toString('utf8', at + 1, nameEnd - 1) === path[0]) {
      if (path.length === 1) return { type, at: nameEnd, end: stop };
      return type === BSON.DOCUMENT ? findElement(buf, nameEnd, path.slice(1)) : null;
    }
    at = stop;
  }
  return null;
}

/** A key value as an offset part; only types with a total, resumable order are accepted. */
export function offsetPart(buf: Buffer, element: Element | null, field: string): OffsetPart {
  if (element === null || element.type === BSON.NULL) {
    throw new FastlaneError('FL_SOURCE_DATA', `a document has no value in '${field}', the field batches are resumed by: set source.mongodb.replication_key to a field every document has, or leave such documents out with filter_fields {"${field}": {"$exists": true}}`);
  }
  const { type, at } = element;
  switch (type) {
    case BSON.OBJECT_ID: return { kind: 'objectId', value: objectIdHex(buf, at) };
    case BSON.INT32: return { kind: 'number', value: BigInt(int32At(buf, at)) };
    case BSON.INT64: return { kind: 'number', value: int64At(buf, at) };
    case BSON.DOUBLE: return { kind: 'number', value: buf.readDoubleLE(at) };
    case BSON.DATE: return { kind: 'date', value: dateMillis(buf, at) };
    case BSON.STRING: return { kind: 'string', value: buf.toString('utf8', at + 4, at + 3 + int32At(buf, at)) };
    default:
      throw new FastlaneError('FL_SOURCE_DATA', `'${field}' holds a ${TYPE_NAMES[type] ?? 'BSON'} value; batches resume by ObjectId, integer, double, date or string keys: choose another source.mongodb.replication_key`);
  }
}

/** An offset part back as the BSON value to compare with. */
export function partValue(part: OffsetPart): unknown {
  switch (part.kind as KeyKind) {
    case 'objectId': return ObjectId.createFromHexString(String(part.value));
    case 'date': return new Date(Number(part.value));
    case 'string': return String(part.value);
    case 'number': return typeof part.value === 'bigint' ? Long.fromBigInt(part.value) : new Double(Number(part.value));
    default:
      throw new FastlaneError('FL_CONFIG_INVALID', `the recorded offset has a part of kind '${part.kind}', which a MongoDB source never writes: clear the target's offset or set source.mongodb.offset`);
  }
}

/**
 * The condition for documents after `offset` in (key, _id) order. A composite offset holds the
 * key and the _id of the last document loaded; a single value (source.mongodb.offset, the seed's
 * form) means key > value.
 */
export function afterCondition(offset: Offset, key: string): Document {
  if (!isCompositeOffset(offset)) {
    const value = typeof offset === 'bigint' ? Long.fromBigInt(offset) : typeof offset === 'number' ? new Double(offset) : offset;
    return { [key]: { $gt: value } };
  }
  const parts = offset.parts;
  if (key === '_id' && parts.length === 1) return { _id: { $gt: partValue(parts[0]) } };
  if (parts.length !== 2) {
    throw new FastlaneError('FL_CONFIG_INVALID', `the recorded offset has ${parts.length} parts where a MongoDB source keeps (${key}, _id): clear the target's offset`);
  }
  const keyValue = partValue(parts[0]);
  return { $or: [{ [key]: { $gt: keyValue } }, { [key]: keyValue, _id: { $gt: partValue(parts[1]) } }] };
}

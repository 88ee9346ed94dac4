import { FastlaneError } from '../../errors.js';
import { formatOffset, isCompositeOffset, type Offset } from '../../stages/offset.js';
import type { KeyKind } from './page-builder.js';

const INTEGER = /^-?\d+$/;

/**
 * The offset to bind in `key > ?`, typed for the key column. The seed's offset -1 on a text key
 * means "from the start" (null), as it does on a non-negative numeric key.
 */
export function startKey(offset: Offset | null, keyKind: KeyKind): Offset | null {
  if (offset === null) return null;
  if (isCompositeOffset(offset)) {
    throw new FastlaneError('FL_CONFIG_INVALID', `the recorded offset ${formatOffset(offset)} was written by another kind of source: a MySQL key takes one value; clear the target's offset or set source.mysql.offset`);
  }
  if (keyKind === 'text') {
    if (typeof offset !== 'string' && offset < 0) return null;
    return String(offset);
  }
  const text = String(offset);
  if (typeof offset === 'number' && !Number.isInteger(offset)) return BigInt(Math.floor(offset));
  if (!INTEGER.test(text)) {
    throw new FastlaneError('FL_CONFIG_INVALID', `offset '${text}' is not an integer, but the key column is: fix source.mysql.offset or the recorded offset`);
  }
  return BigInt(text);
}

import type { Offset } from '../stages/offset.js';

/** An offset as the API stores it: a number while exact, else text; null when there is none. */
export function apiOffset(offset: Offset | string | null): number | string | null {
  if (offset === null || offset === '') return null;
  if (typeof offset === 'number') return offset;
  const text = String(offset);
  if (/^-?\d+$/.test(text) && Number.isSafeInteger(Number(text))) return Number(text);
  return text;
}

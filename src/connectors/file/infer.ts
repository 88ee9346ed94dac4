import type { JsonKind } from './ndjson-parser.js';

const INTEGER = /^[+-]?\d{1,19}$/;
const FLOAT = /^[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?$/;
const BOOL = /^(?:true|false)$/i;
const DATE = /^\d{4}-\d{2}-\d{2}$/;
const TIMESTAMP = /^\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(?::\d{2}(?:\.\d{1,6})?)?(?:Z|[+-]\d{2}(?::?\d{2})?)?$/;
const INT64_MAX = 2n ** 63n - 1n;
const INT64_MIN = -(2n ** 63n);

/** Candidate types, narrowest first; a column gets the first one every sampled value fits. */
const CANDIDATES: [string, (text: string) => boolean][] = [
  ['int64', (t) => INTEGER.test(t) && BigInt(t) <= INT64_MAX && BigInt(t) >= INT64_MIN],
  ['float64', (t) => FLOAT.test(t)],
  ['bool', (t) => BOOL.test(t)],
  ['date', (t) => DATE.test(t)],
  ['timestamp', (t) => TIMESTAMP.test(t)],
];

/**
 * Infers a column's type from sampled values. Numbers become int64 or float64 (declare
 * decimal(p,s) to keep decimals exact), ISO dates and timestamps their types, JSON objects and
 * arrays `json`, anything else utf8. A column with no value in the sample is utf8.
 */
export function inferColumnType(values: readonly (string | null)[], kinds?: readonly JsonKind[]): string {
  const present: string[] = [];
  const presentKinds = new Set<JsonKind>();
  values.forEach((value, i) => {
    if (value === null) return;
    present.push(value);
    if (kinds) presentKinds.add(kinds[i]);
  });
  if (present.length === 0) return 'utf8';
  if (kinds) {
    if (presentKinds.has('nested')) return 'json';
    if (presentKinds.size === 1 && presentKinds.has('bool')) return 'bool';
    // JSON strings that look like numbers stay text: the writer chose to quote them.
    if (presentKinds.has('string')) return inferText(present, ['date', 'timestamp']);
    return inferText(present, ['int64', 'float64']);
  }
  return inferText(present, CANDIDATES.map(([name]) => name));
}

function inferText(values: readonly string[], allowed: readonly string[]): string {
  for (const [name, fits] of CANDIDATES) {
    if (allowed.includes(name) && values.every(fits)) return name;
  }
  return 'utf8';
}

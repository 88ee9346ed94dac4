import { describe, expect, it } from '@jest/globals';
import fc from 'fast-check';
import { parseConfig } from '../../src/config/load.js';
import { builtinRegistry } from '../../src/connectors/index.js';
import { FastlaneError } from '../../src/errors.js';

const registry = builtinRegistry();
const RUNS = 300;

/** The example config's shape (examples/file_csv_to_parquet.json), with MySQL as a second source. */
function validConfigs(): Record<string, unknown>[] {
  const file = {
    source: { file: { path: 'in.csv', format: 'csv', batch_size: 20000, key: 'id', columns: { id: 'int64', amount: 'decimal(12,2)', created_at: 'timestamp' } } },
    transform: { add_op_fields: true, concurrency: 1 },
    target: { file: { path: 'out', format: 'parquet', compression: 'zstd', batch_size: 100000, concurrency: 2 } },
    replication_mode: 'FULL_TABLE',
    max_buffered_batches: 8,
  };
  const mysql = { ...file, source: { mysql: { host: '127.0.0.1', username: 'root', db: 'shop', table: 'orders', key: 'id' } }, replication_mode: 'INCREMENTAL' };
  return [file, mysql];
}

const anyValue = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(0, -1, 1.5, 2 ** 53 + 2, 1e300, '', '\u0000', '${env:NOPE_NOT_SET}', 'decimal(2,5)', 'int64', [], {}, null, true),
  fc.string({ unit: 'binary', maxLength: 20 }),
);

/** Every path (as key lists) to a value inside a config. */
function paths(value: unknown, prefix: string[] = []): string[][] {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return [prefix];
  return [prefix, ...Object.entries(value).flatMap(([k, v]) => paths(v, [...prefix, k]))].filter((p) => p.length > 0);
}

function mutate(config: Record<string, unknown>, path: string[], kind: 'set' | 'delete' | 'add', value: unknown): Record<string, unknown> {
  const copy = structuredClone(config);
  let parent = copy as Record<string, unknown>;
  for (const key of path.slice(0, -1)) parent = parent[key] as Record<string, unknown>;
  const last = path[path.length - 1];
  if (kind === 'delete') delete parent[last];
  else if (kind === 'add') (parent[last] as Record<string, unknown>).zz_unknown = value;
  else parent[last] = value;
  return copy;
}

function isObject(value: unknown): boolean {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function at(config: Record<string, unknown>, path: string[]): unknown {
  return path.reduce<unknown>((v, k) => (v as Record<string, unknown>)[k], config);
}

/** Either a frozen config, or a FastlaneError whose every line names a field; never anything else. */
function check(json: unknown): string[] | null {
  try {
    parseConfig(json, 'c.json', { registry, transformType: 'default', env: {} });
    return null;
  } catch (error) {
    expect(error).toBeInstanceOf(FastlaneError);
    const message = String((error as Error).message);
    const lines = message.split('\n').slice(1).map((l) => l.replace(/^\s+- /, ''));
    // A one-line error (a missing environment variable) says where it was used.
    if (lines.length === 0) {
      expect(message).toMatch(/^(\(top level\)|[\w$-]+([.[].*)?): environment variable \w+ is not set/s);
      return [message];
    }
    // `path.to.field: what is wrong`; keys inside may hold any character (a column named ' ').
    for (const line of lines) expect(line).toMatch(/^(\(top level\)|[\w$-]+([.[].*)?): /s);
    return lines;
  }
}

describe('the config validator under random and mutated input', () => {
  it('never throws anything but a config error naming fields, for any JSON', () => {
    fc.assert(fc.property(anyValue, (json) => { check(json); }), { numRuns: RUNS });
  });

  it('names the field that was changed, removed or added', () => {
    const cases = fc.constantFrom(...validConfigs()).chain((config) => fc.record({
      config: fc.constant(config),
      path: fc.constantFrom(...paths(config)),
      kind: fc.constantFrom('set' as const, 'delete' as const, 'add' as const),
      value: anyValue,
    })).filter(({ config, path, kind }) => kind !== 'add' || isObject(at(config, path)));
    fc.assert(fc.property(cases, ({ config, path, kind, value }) => {
      const lines = check(mutate(config, path, kind, value));
      if (lines === null) return;
      // The field itself (an unknown one by its name), or for a removed one the object that now
      // lacks it ("source: must name at least 1 entry").
      const named = kind === 'add' ? ['zz_unknown'] : [path[path.length - 1], ...(kind === 'delete' && path.length > 1 ? [`${path.slice(0, -1).join('.')}: `] : [])];
      const text = lines.join('\n');
      expect(named.some((name) => text.includes(name))).toBe(true);
    }), { numRuns: RUNS });
  });

  it('accepts the valid configs', () => {
    for (const config of validConfigs()) expect(check(config)).toBeNull();
  });
});

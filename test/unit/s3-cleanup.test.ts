import { describe, expect, test } from '@jest/globals';
import { lastKeyMetadata, removeStaleBeyondOffset } from '../../src/connectors/s3/cleanup.js';
import type { ObjectStore } from '../../src/connectors/s3/store.js';

/** An in-memory store: the cleanup only lists, reads metadata and deletes. */
function memoryStore(objects: Record<string, Record<string, string> | undefined>): ObjectStore & { keys(): string[] } {
  const stored = new Map(Object.entries(objects).map(([key, metadata]) => [key, metadata ?? {}]));
  return {
    check: async () => {},
    put: async (key, _body, _type, metadata) => void stored.set(key, metadata ?? {}),
    getText: async () => null,
    list: async (prefix) => [...stored.keys()].filter((key) => key.startsWith(prefix)).sort(),
    metadata: async (key) => stored.get(key) ?? {},
    remove: async (keys) => keys.forEach((key) => stored.delete(key)),
    close: () => {},
    keys: () => [...stored.keys()].sort(),
  };
}

const upTo = (key: bigint) => lastKeyMetadata(key);

describe('removing what unfinished earlier runs left beyond the manifest offset', () => {
  test('objects of any run whose last key is beyond the offset go; those up to it, foreign files and FULL_TABLE versions stay', async () => {
    const store = memoryStore({
      't/_fastlane_manifest.json': undefined,
      't/part-100-000001.parquet': upTo(10n),
      't/part-100-000002.parquet': upTo(20n),
      't/part-200-000001.parquet': upTo(30n),
      't/year=2024/month=01/day=01/part-200-000002.parquet': upTo(40n),
      't/part-300-000001.parquet': upTo(25n),
      't/_table_version=50/part-50-000001.parquet': upTo(99n),
      't/notes.parquet': upTo(99n),
      't/part-400-000001.parquet': undefined,
    });
    const removed = await removeStaleBeyondOffset(store, 't/', 20n);
    expect(removed.sort()).toEqual(['t/part-200-000001.parquet', 't/part-300-000001.parquet', 't/year=2024/month=01/day=01/part-200-000002.parquet']);
    expect(store.keys()).toEqual([
      't/_fastlane_manifest.json', 't/_table_version=50/part-50-000001.parquet', 't/notes.parquet',
      't/part-100-000001.parquet', 't/part-100-000002.parquet', 't/part-400-000001.parquet',
    ]);
  });

  test('without a recorded offset every object with a last key is beyond it; text keys compare as text', async () => {
    const store = memoryStore({ 'v/_table_version=7/part-9-000001.parquet': upTo(3n), 'v/_table_version=7/part-9-000002.parquet': upTo(4n) });
    expect(await removeStaleBeyondOffset(store, 'v/_table_version=7/', null)).toHaveLength(2);
    const text = memoryStore({ 'w/part-1-000001.parquet': lastKeyMetadata('b é'), 'w/part-1-000002.parquet': lastKeyMetadata('c') });
    expect(await removeStaleBeyondOffset(text, 'w/', 'b é')).toEqual(['w/part-1-000002.parquet']);
  });
});

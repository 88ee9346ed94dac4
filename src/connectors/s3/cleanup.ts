import { compareOffsets, offsetFromJSON, offsetToJSON, type Offset } from '../../stages/offset.js';
import { VERSION_COLUMN } from './layout.js';
import type { ObjectStore } from './store.js';

/** User metadata naming the highest key an object holds, so a failed run can tell its loads apart. */
export const LAST_KEY_METADATA = 'fastlane-last-key';

/** Metadata travels as HTTP headers, which hold ASCII only: a text key is percent-encoded. */
export function lastKeyMetadata(lastKey: Offset | undefined): Record<string, string> | undefined {
  return lastKey === undefined ? undefined : { [LAST_KEY_METADATA]: encodeURIComponent(JSON.stringify(offsetToJSON(lastKey))) };
}

/** The highest key an object holds, from its metadata, or null when it does not say. */
async function lastKeyOf(store: ObjectStore, key: string): Promise<Offset | null> {
  const stored = (await store.metadata(key))[LAST_KEY_METADATA];
  return stored === undefined ? null : offsetFromJSON(JSON.parse(decodeURIComponent(stored)));
}

function isBeyond(lastKey: Offset, offset: Offset | null): boolean {
  return offset === null || compareOffsets(lastKey, offset) > 0;
}

/**
 * Deletes the objects a failed INCREMENTAL run wrote beyond `offset`: the next run loads those
 * rows again, and readers of the table would otherwise see them twice. Objects up to the offset
 * stay: the manifest says they are loaded.
 */
export async function removeBeyondOffset(store: ObjectStore, dataPrefix: string, runId: string, offset: Offset | null): Promise<number> {
  const marker = `part-${runId}-`;
  // Without partitions a run's objects share one key prefix; with them, the run's name marks them.
  const keys = (await store.list(dataPrefix)).filter((key) => key.slice(key.lastIndexOf('/') + 1).startsWith(marker));
  const beyond: string[] = [];
  for (const key of keys) {
    const lastKey = await lastKeyOf(store, key);
    if (lastKey === null || isBeyond(lastKey, offset)) beyond.push(key);
  }
  await store.remove(beyond);
  return beyond.length;
}

/** A data object of an INCREMENTAL append under `dataPrefix` (partition folders included, versions of FULL_TABLE runs not). */
function isAppendedObject(dataPrefix: string, key: string): boolean {
  const relative = key.slice(dataPrefix.length);
  const name = relative.slice(relative.lastIndexOf('/') + 1);
  return !relative.startsWith(`${VERSION_COLUMN}=`) && name.startsWith('part-') && name.endsWith('.parquet');
}

/**
 * Deletes what earlier runs that never finished (a kill -9, a lost machine) left beyond the
 * manifest's offset: their abort never ran, so without this the rows they uploaded would be
 * counted once from those objects and once more when this run loads them again. An object without
 * the last-key metadata (a source without a key) is kept: nothing says it is beyond the offset.
 */
export async function removeStaleBeyondOffset(store: ObjectStore, dataPrefix: string, offset: Offset | null): Promise<string[]> {
  const beyond: string[] = [];
  for (const key of (await store.list(dataPrefix)).filter((k) => isAppendedObject(dataPrefix, k))) {
    const lastKey = await lastKeyOf(store, key);
    if (lastKey !== null && isBeyond(lastKey, offset)) beyond.push(key);
  }
  await store.remove(beyond);
  return beyond;
}

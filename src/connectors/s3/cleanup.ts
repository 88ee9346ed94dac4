import { compareOffsets, offsetFromJSON, offsetToJSON, type Offset } from '../../stages/offset.js';
import type { ObjectStore } from './store.js';

/** User metadata naming the highest key an object holds, so a failed run can tell its loads apart. */
export const LAST_KEY_METADATA = 'fastlane-last-key';

/** Metadata travels as HTTP headers, which hold ASCII only: a text key is percent-encoded. */
export function lastKeyMetadata(lastKey: Offset | undefined): Record<string, string> | undefined {
  return lastKey === undefined ? undefined : { [LAST_KEY_METADATA]: encodeURIComponent(JSON.stringify(offsetToJSON(lastKey))) };
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
    const stored = (await store.metadata(key))[LAST_KEY_METADATA];
    const lastKey = stored === undefined ? null : offsetFromJSON(JSON.parse(decodeURIComponent(stored)));
    if (offset === null || lastKey === null || compareOffsets(lastKey, offset) > 0) beyond.push(key);
  }
  await store.remove(beyond);
  return beyond.length;
}

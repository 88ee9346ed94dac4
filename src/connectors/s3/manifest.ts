import { offsetFromJSON, offsetToJSON, type Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';

/**
 * The table's manifest, `<prefix>/<table>/_fastlane_manifest.json`. Written only after every
 * object of a run is uploaded, so a reader that follows `data_prefix` sees complete data, and an
 * INCREMENTAL run learns its start offset without querying Athena.
 */
export interface Manifest {
  readonly format: typeof MANIFEST_FORMAT;
  readonly table: string;
  readonly pipeline_id: string;
  readonly run_id: string;
  readonly replication_mode: 'FULL_TABLE' | 'INCREMENTAL';
  /** Every row with a key up to this one is loaded (null: no key, or nothing loaded). */
  readonly offset: unknown;
  /** The newest complete FULL_TABLE version (epoch milliseconds of its run), or null. */
  readonly current_version: string | null;
  /** Key prefix holding the table's current data: the current version's folder, or the table's. */
  readonly data_prefix: string;
  readonly updated_at: string;
}

export const MANIFEST_FORMAT = 'fastlane.s3.manifest/1';

export function manifestOffset(manifest: Manifest | null): Offset | null {
  return manifest === null ? null : offsetFromJSON(manifest.offset);
}

export function encodeManifest(fields: Omit<Manifest, 'format' | 'offset' | 'updated_at'>, offset: Offset | null): string {
  const manifest: Manifest = { format: MANIFEST_FORMAT, ...fields, offset: offsetToJSON(offset), updated_at: new Date().toISOString() };
  return `${JSON.stringify(manifest, null, 2)}\n`;
}

export function parseManifest(text: string, key: string): Manifest {
  try {
    const manifest = JSON.parse(text) as Manifest;
    if (manifest.format !== MANIFEST_FORMAT) throw new Error(`unknown format ${JSON.stringify(manifest.format)}`);
    return manifest;
  } catch (error) {
    throw new FastlaneError('FL_TARGET', `the manifest ${key} is not readable (${(error as Error).message}): fix or delete it`, { cause: error });
  }
}

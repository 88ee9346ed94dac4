import type { Table } from 'apache-arrow';
import type { LoadInfo, Target } from '../../stages/target.js';
import type { StageContext } from '../../stages/context.js';
import { formatOffset, type Offset } from '../../stages/offset.js';
import { encodeParquet } from '../../formats/parquet.js';
import { bucketOf, tablePrefix, type S3TargetConfig } from './config.js';
import { MANIFEST_NAME, VERSION_COLUMN, objectKey, partitionLoad, versionPrefix, withVersion } from './layout.js';
import { encodeManifest, manifestOffset, parseManifest, type Manifest } from './manifest.js';
import { createObjectStore, type ObjectStore } from './store.js';
import { lastKeyMetadata, removeBeyondOffset, removeStaleBeyondOffset } from './cleanup.js';

/** Where a run writes: the version it builds (FULL_TABLE) or appends to (INCREMENTAL), if any. */
interface RunLayout {
  readonly version: string | null;
  readonly dataPrefix: string;
}

/**
 * Writes one Parquet object per load under `s3://<bucket>/<prefix>/<table>/`. FULL_TABLE builds a
 * new `_table_version=<run>/` folder; INCREMENTAL appends to the current version (or the table
 * folder). The manifest names the complete data and the loaded offset; only the main thread's
 * commit and checkpoint write it.
 */
export class S3Target implements Target {
  private readonly root: string;
  private readonly manifestKey: string;
  private layout: RunLayout | null = null;

  constructor(
    private readonly config: S3TargetConfig,
    private readonly context: StageContext,
    private readonly store: ObjectStore,
  ) {
    this.root = tablePrefix(config);
    this.manifestKey = `${this.root}${MANIFEST_NAME}`;
  }

  async open(): Promise<void> {
    await this.store.check();
    this.layout = await this.runLayout();
  }

  /**
   * Before anything is loaded, removes what earlier runs that were killed left behind (main thread
   * only). FULL_TABLE: versions newer than the manifest's current one, which no manifest ever
   * named (a run stopped at once, a crash); older versions were current once and stay until the
   * user removes them. INCREMENTAL: objects beyond the manifest's offset; this run loads those
   * rows again.
   */
  async begin(): Promise<void> {
    if (this.context.replicationMode === 'FULL_TABLE') {
      await this.removeUncommittedVersions();
      return;
    }
    const layout = this.layout ?? (await this.runLayout());
    const offset = manifestOffset(await this.readManifest());
    const removed = await removeStaleBeyondOffset(this.store, layout.dataPrefix, offset);
    if (removed.length > 0) {
      this.context.logger.warn(`s3: removed ${removed.length} objects an unfinished earlier run left beyond offset ${formatOffset(offset) || '(none)'}; this run loads their rows again`);
    }
  }

  private async removeUncommittedVersions(): Promise<void> {
    const current = (await this.readManifest())?.current_version ?? null;
    const folder = `${this.root}${VERSION_COLUMN}=`;
    const stale = new Map<string, string[]>();
    for (const key of await this.store.list(folder)) {
      const version = key.slice(folder.length).split('/', 1)[0];
      if (!/^\d+$/.test(version) || version === this.context.runId) continue;
      if (current !== null && BigInt(version) <= BigInt(current)) continue;
      const keys = stale.get(version) ?? [];
      keys.push(key);
      stale.set(version, keys);
    }
    for (const [version, keys] of stale) {
      await this.store.remove(keys);
      this.context.logger.info(`s3: removed ${versionPrefix(this.root, version)} (${keys.length} objects), an uncommitted version left by an earlier run that was stopped at once`);
    }
  }

  async load(batch: Table, info: LoadInfo): Promise<void> {
    const layout = this.layout ?? (await this.runLayout());
    const rows = layout.version === null ? batch : withVersion(batch, layout.version);
    for (const part of partitionLoad(rows, this.config, Number(this.context.runId))) {
      const bytes = encodeParquet(part.rows, { compression: this.config.compression, rowGroupSize: this.config.row_group_size, dictionary: this.config.dictionary, statistics: this.config.statistics });
      const key = objectKey(layout.dataPrefix, part.path, this.context.runId, info.sequence);
      await this.store.put(key, bytes, 'application/vnd.apache.parquet', lastKeyMetadata(info.lastKey));
    }
  }

  async close(): Promise<void> {
    this.store.close();
  }

  async getOffset(): Promise<Offset | null> {
    return manifestOffset(await this.readManifest());
  }

  async checkpoint(offset: Offset): Promise<void> {
    if (this.context.replicationMode === 'INCREMENTAL') await this.writeManifest(offset);
  }

  async commit(offset: Offset | null): Promise<void> {
    await this.writeManifest(offset);
  }

  /**
   * A failed or stopped FULL_TABLE run deletes its unfinished version. INCREMENTAL records what
   * its finished loads reached and deletes its objects beyond that, which the next run loads again.
   */
  async abort(offset: Offset | null): Promise<void> {
    const layout = this.layout ?? (await this.runLayout());
    if (this.context.replicationMode === 'FULL_TABLE') {
      await this.store.remove(await this.store.list(layout.dataPrefix));
      return;
    }
    const removed = await removeBeyondOffset(this.store, layout.dataPrefix, this.context.runId, offset);
    if (removed > 0) this.context.logger.info(`s3: removed ${removed} objects of this run beyond offset ${String(offset)}; the next run loads them again`);
    if (offset !== null) await this.writeManifest(offset);
  }

  private async runLayout(): Promise<RunLayout> {
    if (this.context.replicationMode === 'FULL_TABLE') {
      return { version: this.context.runId, dataPrefix: versionPrefix(this.root, this.context.runId) };
    }
    const manifest = await this.readManifest();
    const version = manifest?.current_version ?? null;
    return { version, dataPrefix: version === null ? this.root : versionPrefix(this.root, version) };
  }

  private async readManifest(): Promise<Manifest | null> {
    const text = await this.store.getText(this.manifestKey);
    return text === null ? null : parseManifest(text, `s3://${bucketOf(this.config)}/${this.manifestKey}`);
  }

  private async writeManifest(offset: Offset | null): Promise<void> {
    const layout = this.layout ?? (await this.runLayout());
    const text = encodeManifest({
      table: this.config.table,
      pipeline_id: this.context.pipelineId,
      run_id: this.context.runId,
      replication_mode: this.context.replicationMode,
      current_version: layout.version,
      data_prefix: layout.dataPrefix,
    }, offset);
    await this.store.put(this.manifestKey, Buffer.from(text, 'utf8'), 'application/json');
  }
}

/** Builds the target (the connector in ./connector.js imports this module only when a run uses it). */
export function createS3Target(config: S3TargetConfig, context: StageContext): Target {
  return new S3Target(config, context, createObjectStore(config));
}

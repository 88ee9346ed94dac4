import { mkdir, readdir, readFile, rename, rm, writeFile, stat } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import type { Table } from 'apache-arrow';
import type { TargetConnector } from '../../registry.js';
import type { LoadInfo, Target } from '../../stages/target.js';
import type { StageContext } from '../../stages/context.js';
import { offsetFromJSON, offsetToJSON, type Offset } from '../../stages/offset.js';
import { FastlaneError } from '../../errors.js';
import { encodeParquet } from '../../formats/parquet.js';
import { encodeCsv, encodeNdjson } from '../../formats/text.js';
import type { FileTargetConfig } from './config.js';

const STATE_FILE = '_fastlane_state.json';
const EXTENSIONS = { parquet: 'parquet', csv: 'csv', ndjson: 'ndjson' } as const;

/**
 * Writes one file per load into a folder. FULL_TABLE writes into a staging folder beside it and
 * swaps it in when the run succeeds, so the folder never holds half a table; INCREMENTAL appends
 * and records the loaded offset in _fastlane_state.json.
 */
class FileTarget implements Target {
  private readonly folder: string;

  constructor(private readonly config: FileTargetConfig, private readonly context: StageContext) {
    const path = resolve(config.path);
    this.folder = context.replicationMode === 'FULL_TABLE' ? `${path}.staging-${context.runId}` : path;
  }

  async open(): Promise<void> {
    try {
      await mkdir(this.folder, { recursive: true });
    } catch (error) {
      throw new FastlaneError('FL_TARGET', `cannot create the folder '${this.folder}': check target.file.path and its permissions`, { cause: error });
    }
  }

  /**
   * Removes what earlier runs of this target left beside its folder when they were killed
   * (a second Ctrl-C, a crash): `<folder>.staging-<run id>` and `<folder>.old-<run id>`. Only
   * names this target makes, and never this run's own.
   */
  async begin(): Promise<void> {
    const path = resolve(this.config.path);
    const prefix = basename(path);
    const stale = new RegExp(`^${prefix.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\.(staging|old)-(\\d+)$`);
    const siblings = await readdir(dirname(path)).catch(() => [] as string[]);
    for (const name of siblings) {
      const match = stale.exec(name);
      if (!match || match[2] === this.context.runId) continue;
      await rm(join(dirname(path), name), { recursive: true, force: true });
      this.context.logger.info(`removed ${join(dirname(path), name)}, left by an earlier run that was stopped at once`);
    }
  }

  async load(batch: Table, info: LoadInfo): Promise<void> {
    const name = `part-${this.context.runId}-${String(info.sequence).padStart(6, '0')}.${EXTENSIONS[this.config.format]}`;
    const bytes = this.encode(batch);
    // Write then rename: a reader never sees a partial file, and a retried load overwrites.
    const temporary = join(this.folder, `.${name}.tmp`);
    await writeFile(temporary, bytes);
    await rename(temporary, join(this.folder, name));
  }

  private encode(batch: Table): Uint8Array {
    if (this.config.format === 'csv') return encodeCsv(batch, { delimiter: this.config.delimiter, nullValue: this.config.null_value });
    if (this.config.format === 'ndjson') return encodeNdjson(batch);
    return encodeParquet(batch, { compression: this.config.compression, rowGroupSize: this.config.row_group_size, dictionary: this.config.dictionary, statistics: this.config.statistics });
  }

  async close(): Promise<void> {}

  async getOffset(): Promise<Offset | null> {
    try {
      const state = JSON.parse(await readFile(join(resolve(this.config.path), STATE_FILE), 'utf8')) as { offset?: unknown };
      return offsetFromJSON(state.offset);
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return null;
      throw new FastlaneError('FL_TARGET', `cannot read ${STATE_FILE} in '${this.config.path}': fix or delete it`, { cause: error });
    }
  }

  async checkpoint(offset: Offset | null): Promise<void> {
    if (this.context.replicationMode === 'INCREMENTAL' && offset !== null) await this.writeState(offset);
  }

  async commit(offset: Offset | null): Promise<void> {
    if (this.context.replicationMode === 'INCREMENTAL') return this.checkpoint(offset);
    await this.writeState(offset, this.folder);
    await this.swapIn();
  }

  async abort(offset: Offset | null): Promise<void> {
    if (this.context.replicationMode === 'INCREMENTAL') return this.checkpoint(offset);
    await rm(this.folder, { recursive: true, force: true });
  }

  /** Replaces the target folder by the staging one with two renames; the old one is removed last. */
  private async swapIn(): Promise<void> {
    const path = resolve(this.config.path);
    const old = `${path}.old-${this.context.runId}`;
    const exists = await stat(path).then(() => true, () => false);
    if (exists) await rename(path, old);
    await rename(this.folder, path);
    if (exists) await rm(old, { recursive: true, force: true });
  }

  private async writeState(offset: Offset | null, folder = resolve(this.config.path)): Promise<void> {
    const temporary = join(folder, `.${STATE_FILE}.tmp`);
    const state = { offset: offsetToJSON(offset), run_id: this.context.runId, pipeline_id: this.context.pipelineId };
    await writeFile(temporary, `${JSON.stringify(state, null, 2)}\n`);
    await rename(temporary, join(folder, STATE_FILE));
  }
}

const fileTarget: TargetConnector<FileTargetConfig> = {
  type: 'file',
  schema: 'target/file.schema.json',
  module: import.meta.url,
  targetId: (config) => `file.${basename(resolve(config.path))}`,
  create: (config, context) => new FileTarget(config, context),
  check: async (config) => (await import('./check.js')).checkFileTarget(config),
  describe: (config) => `${config.format} files in ${config.path}/`,
};

export default fileTarget;

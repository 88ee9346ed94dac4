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
   * names this target makes, and never this run's own. INCREMENTAL appends into the folder
   * itself: temporary files an earlier run left when it was killed or its worker ended mid-write
   * (hidden, never read as data) are removed first.
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
    if (this.context.replicationMode !== 'INCREMENTAL') return;
    const temporary = (await readdir(this.folder)).filter((name) => name.startsWith('.part-') && name.endsWith('.tmp'));
    await Promise.all(temporary.map((name) => rm(join(this.folder, name), { force: true })));
  }

  async load(batch: Table, info: LoadInfo): Promise<void> {
    const name = `part-${this.context.runId}-${String(info.sequence).padStart(6, '0')}.${EXTENSIONS[this.config.format]}`;
    await writeWhole(join(this.folder, name), this.encode(batch));
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
    const state = { offset: offsetToJSON(offset), run_id: this.context.runId, pipeline_id: this.context.pipelineId };
    await writeWhole(join(folder, STATE_FILE), `${JSON.stringify(state, null, 2)}\n`);
  }
}

/** What to do about a failed write, by the file system's error code. */
const WRITE_ADVICE: Record<string, string> = {
  ENOSPC: 'the disk is full: free space on it or point target.file.path at another disk',
  EDQUOT: 'the disk quota is used up: free space or point target.file.path elsewhere',
  EFBIG: 'the file is larger than this process may write (ulimit -f): raise the limit or lower target.file.batch_size',
  EROFS: 'the file system is read-only: point target.file.path at a writable folder',
  EACCES: 'permission denied: check the rights on target.file.path',
  EPERM: 'permission denied: check the rights on target.file.path',
};

/**
 * Writes a file whole or not at all: into a hidden temporary file, then renamed, so a reader never
 * sees a partial file and a retried load overwrites. A failed write removes its temporary file.
 */
async function writeWhole(path: string, data: Uint8Array | string): Promise<void> {
  const temporary = join(dirname(path), `.${basename(path)}.tmp`);
  try {
    await writeFile(temporary, data);
    await rename(temporary, path);
  } catch (error) {
    await rm(temporary, { force: true }).catch(() => undefined);
    const code = (error as NodeJS.ErrnoException).code ?? '';
    const advice = WRITE_ADVICE[code] ?? 'check target.file.path';
    throw new FastlaneError('FL_TARGET', `cannot write '${path}': ${advice}`, { cause: error });
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

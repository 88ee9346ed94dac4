import { access } from 'node:fs/promises';
import type { SourceConnector } from '../../registry.js';
import type { Source, SourceBatch } from '../../stages/source.js';
import type { Offset } from '../../stages/offset.js';
import type { StageContext } from '../../stages/context.js';
import { FastlaneError } from '../../errors.js';
import type { FileSourceConfig } from './config.js';
import { TextFileReader } from './text-source.js';
import { parquetBatches } from './parquet-source.js';
import { parseColumnType } from '../../arrow/column-types.js';

/** Reads a local CSV, NDJSON or Parquet file. */
class FileSource implements Source {
  constructor(private readonly config: FileSourceConfig, private readonly context?: StageContext) {}

  async open(): Promise<void> {
    try {
      await access(this.config.path);
    } catch (error) {
      throw new FastlaneError('FL_SOURCE', `cannot read source.file.path '${this.config.path}': check that the file exists and is readable`, { cause: error });
    }
  }

  batches(startAfter: Offset | null): AsyncIterable<SourceBatch> {
    if (this.config.format === 'parquet') return parquetBatches(this.config, startAfter);
    return new TextFileReader(this.config, startAfter).batches();
  }

  /** FULL_TABLE runs of CSV and NDJSON files: an estimate from the file's size, for the progress line. */
  async estimatedRows(): Promise<number | null> {
    if (this.config.format === 'parquet' || this.context?.replicationMode !== 'FULL_TABLE') return null;
    return (await import('./check.js')).estimateTextRows(this.config.path, this.config.format === 'csv');
  }

  async close(): Promise<void> {}
}

const fileSource: SourceConnector<FileSourceConfig> = {
  type: 'file',
  schema: 'source/file.schema.json',
  module: import.meta.url,
  create: (config, context) => new FileSource(config, context),
  describe: (config) => `${config.format} file ${config.path}`,
  check: async (config) => (await import('./check.js')).checkFileSource(config),
  checkConfig: (config) => impossibleColumnTypes(config.columns ?? {}),
};

/** `decimal(2,5)` passes the schema's pattern but is no type: the scale exceeds the precision. */
function impossibleColumnTypes(columns: Readonly<Record<string, string>>): string[] {
  return Object.entries(columns)
    .filter(([, spec]) => parseColumnType(spec) === null)
    .map(([name, spec]) => `columns.${name}: '${spec}' is not a column type: decimal(P,S) needs 1 <= P <= 76 and S <= P`);
}

export default fileSource;

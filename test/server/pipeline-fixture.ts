import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { generateSample } from '../../scripts/generate-sample.js';
import { main } from '../../src/cli/main.js';

/** The example config's shape, as far as the tests edit it. */
export interface FixtureConfig {
  source: { file: Record<string, unknown> };
  target: { file: Record<string, unknown> };
  logs?: Record<string, unknown>;
}

export interface PipelineFixture {
  readonly dir: string;
  readonly config: string;
  readonly logFile: string;
  readonly rows: number;
  /** Runs the CLI's main() on the config with more arguments; answers the exit code and stderr. */
  run(args: string[], env?: NodeJS.ProcessEnv): Promise<{ code: number; stderr: string }>;
  /** The JSON log lines the run wrote to its log file. */
  logLines(): Promise<{ level: string; message: string }[]>;
  remove(): Promise<void>;
}

const EXAMPLE = resolve(import.meta.dirname ?? '.', '..', '..', 'examples', 'file_csv_to_parquet.json');

/** A file -> file pipeline (the example config) over a generated sample in a temp folder. */
export async function createPipelineFixture(rows = 3000, edit: (config: FixtureConfig) => void = () => undefined): Promise<PipelineFixture> {
  const dir = await mkdtemp(join(tmpdir(), 'fastlane-monitor-'));
  const csv = join(dir, 'orders.csv');
  await generateSample({ rows, out: csv, format: 'csv', seed: 7 });
  const config = JSON.parse(await readFile(EXAMPLE, 'utf8')) as FixtureConfig;
  config.source.file.path = csv;
  config.source.file.batch_size = 500;
  config.target.file.path = join(dir, 'out');
  config.target.file.batch_size = 1000;
  edit(config);
  const configPath = join(dir, 'pipeline.json');
  await writeFile(configPath, JSON.stringify(config));
  const logFile = join(dir, 'run.log');
  return {
    dir,
    config: configPath,
    logFile,
    rows,
    async run(args, env = {}) {
      let stderr = '';
      const code = await main(['run', `--config=${configPath}`, '--progress=off', `--logs_to_file=${logFile}`, `--state-dir=${dir}`, ...args], {
        stdout: () => undefined,
        stderr: (text) => { stderr += text; },
        env,
      });
      return { code, stderr };
    },
    async logLines() {
      const text = await readFile(logFile, 'utf8');
      return text.split('\n').filter(Boolean).map((line) => JSON.parse(line));
    },
    remove: () => rm(dir, { recursive: true, force: true }),
  };
}

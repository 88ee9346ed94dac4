import { describe, expect, it } from '@jest/globals';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { withTempDir } from '../support/pipeline.js';

const GOOD = {
  source: { file: { path: 'in.csv', format: 'csv', batch_size: 100 } },
  transform: { add_op_fields: false },
  target: { file: { path: 'out', format: 'parquet', batch_size: 100, concurrency: 1 } },
  replication_mode: 'FULL_TABLE',
  max_buffered_batches: 8,
};

type Config = Record<string, unknown>;
const clone = (): Config => JSON.parse(JSON.stringify(GOOD)) as Config;
const edit = (change: (c: Config & { source: { file: Config }; target: { file: Config }; transform: Config }) => void): Config => {
  const c = clone() as Config & { source: { file: Config }; target: { file: Config }; transform: Config };
  change(c);
  return c;
};

/** [what is wrong, config (object, or raw text), expected words in the message, extra argv] */
const CASES: [string, Config | string, RegExp, string[]?][] = [
  ['missing source', edit((c) => delete (c as Config).source), /\(top level\): is missing the required field 'source'/],
  ['missing target', edit((c) => delete (c as Config).target), /is missing the required field 'target'/],
  ['missing source path', edit((c) => delete c.source.file.path), /source\.file: is missing the required field 'path'/],
  ['missing target path', edit((c) => delete c.target.file.path), /target\.file: is missing the required field 'path'/],
  ['batch_size as text', edit((c) => (c.source.file.batch_size = '100')), /source\.file\.batch_size: must be integer \(got "100"\)/],
  ['negative batch_size', edit((c) => (c.source.file.batch_size = -5)), /source\.file\.batch_size: must be >= 1 \(got -5\)/],
  ['zero target batch_size', edit((c) => (c.target.file.batch_size = 0)), /target\.file\.batch_size: must be >= 1/],
  ['fractional batch_size', edit((c) => (c.target.file.batch_size = 2.5)), /target\.file\.batch_size: must be integer/],
  ['zero concurrency', edit((c) => (c.target.file.concurrency = 0)), /target\.file\.concurrency: must be >= 1/],
  ['huge concurrency', edit((c) => (c.target.file.concurrency = 1000)), /target\.file\.concurrency: must be <= 64/],
  ['transform concurrency text', edit((c) => (c.transform.concurrency = 'two')), /transform\.concurrency: must be integer/],
  ['negative max_buffered_batches', edit((c) => ((c as Config).max_buffered_batches = -1)), /max_buffered_batches: must be >= 1/],
  ['bad replication_mode', edit((c) => ((c as Config).replication_mode = 'FULL')), /replication_mode: must be one of "FULL_TABLE", "INCREMENTAL" \(got "FULL"\)/],
  ['bad source format', edit((c) => (c.source.file.format = 'xlsx')), /source\.file\.format: must be one of "csv", "ndjson", "parquet"/],
  ['bad compression', edit((c) => (c.target.file.compression = 'zip')), /target\.file\.compression: must be one of "zstd", "snappy"/],
  ['unknown key in source', edit((c) => (c.source.file.batchsize = 5)), /source\.file: has an unknown field 'batchsize'; allowed: path, format, batch_size/],
  ['unknown key in target', edit((c) => (c.target.file.concurency = 2)), /target\.file: has an unknown field 'concurency'/],
  ['unknown top-level key', edit((c) => ((c as Config).max_bufered_batches = 2)), /\(top level\): has an unknown field 'max_bufered_batches'/],
  ['unknown key in transform', edit((c) => (c.transform.add_op_field = false)), /transform: has an unknown field 'add_op_field'; allowed: add_op_fields, concurrency/],
  ['add_op_fields as text', edit((c) => (c.transform.add_op_fields = 'no')), /transform\.add_op_fields: must be boolean/],
  ['unknown source type', edit((c) => ((c as Config).source = { postgresql: {} })), /source: unknown source type 'postgresql'; available: (\w+, )*file, (\w+, )*mysql/],
  ['unknown target type', edit((c) => ((c as Config).target = { parquet: {} })), /target: unknown target type 'parquet'; available: (\w+, )*file/],
  ['missing replication_mode', edit((c) => delete (c as Config).replication_mode), /\(top level\): is missing the required field 'replication_mode'/],
  ['decimal scale above its precision', edit((c) => (c.source.file.columns = { a: 'decimal(2,5)' })), /source\.file\.columns\.a: 'decimal\(2,5\)' is not a column type/],
  ['empty source section', edit((c) => ((c as Config).source = {})), /source: must name at least 1 entry/],
  ['bad column type', edit((c) => (c.source.file.columns = { a: 'varchar' })), /source\.file\.columns\.a: must match: int8\.\.int64/],
  ['two-character delimiter', edit((c) => (c.source.file.delimiter = ';;')), /source\.file\.delimiter: must be at most 1 characters/],
  ['logs with unknown key', edit((c) => ((c as Config).logs = { logfile: 'x' })), /logs: has an unknown field 'logfile'; allowed: log_file/],
  ['log_to_cloudwatch as text', edit((c) => ((c as Config).logs = { log_to_cloudwatch: 'yes' })), /logs\.log_to_cloudwatch: must be boolean/],
  ['bad ssm region', edit((c) => ((c as Config).ssm = { region: 'moon' })), /ssm\.region: must match/],
  ['missing env variable', edit((c) => (c.source.file.path = '${env:FASTLANE_TEST_UNSET_PATH}')), /source\.file\.path: environment variable FASTLANE_TEST_UNSET_PATH is not set/],
  ['invalid JSON', '{\n  "source": {\n    "file": { "path": "x" }\n  ,\n}', /:5:1: invalid JSON/],
  ['--source names no source type', clone(), /--source=nosuch: unknown source type 'nosuch'; available: (\w+, )*file/, ['--source=nosuch']],
  ['--source disagrees with the config', clone(), /--source=mysql but the config's source section has file: add a 'mysql' section/, ['--source=mysql']],
  ['--target not in the config', clone(), /--target=s3 but the config's target section has file/, ['--target=s3']],
  ['not an object', '[1, 2]', /\(top level\): must be object/],
];

describe('malformed configs', () => {
  it.each(CASES)('%s: exits 2 naming the field', async (_what, config, message, argv = []) => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'pipeline.json');
      await writeFile(file, typeof config === 'string' ? config : JSON.stringify(config, null, 2));
      for (const command of [['validate'], ['run']]) {
        const result = await runCli([...command, `--config=${file}`, ...argv]);
        expect(result.stderr).toMatch(message);
        expect(result.code).toBe(2);
      }
    });
  });

  it('reports every error at once', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'pipeline.json');
      await writeFile(file, JSON.stringify(edit((c) => {
        c.source.file.batch_size = -1;
        c.target.file.format = 'xls';
        (c as Config).replication_mode = 'SOMETIMES';
      })));
      const result = await runCli(['validate', `--config=${file}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/source\.file\.batch_size/);
      expect(result.stderr).toMatch(/target\.file\.format/);
      expect(result.stderr).toMatch(/replication_mode/);
    });
  });

  it('reports a missing ${env:...} beside the other mistakes, and an impossible column type, at once', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'pipeline.json');
      await writeFile(file, JSON.stringify(edit((c) => {
        c.source.file.columns = { price: 'decimal(2,5)' };
        c.target.file.path = '${env:FASTLANE_TEST_UNSET_OUT}';
        c.target.file.format = 'xls';
      })));
      const result = await runCli(['validate', `--config=${file}`]);
      expect(result.code).toBe(2);
      expect(result.stderr).toMatch(/FL_CONFIG_INVALID/);
      expect(result.stderr).toMatch(/target\.file\.format: must be one of/);
      expect(result.stderr).toMatch(/source\.file\.columns\.price: 'decimal\(2,5\)' is not a column type/);
      expect(result.stderr).toMatch(/target\.file\.path: environment variable FASTLANE_TEST_UNSET_OUT is not set/);
    });
  });

  it('names one missing config file once, without repeating its cause', async () => {
    const result = await runCli(['validate', '--config=/nonexistent/pipeline.json']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/cannot read the config file '\/nonexistent\/pipeline\.json': ENOENT: no such file/);
    expect(result.stderr).not.toMatch(/ENOENT: ENOENT/);
    expect(result.stderr.match(/no such file/g)).toHaveLength(1);
  });

  it('accepts a good config, fills defaults, reads ${env:...}, and prints the plan with --dry-run', async () => {
    await withTempDir(async (dir) => {
      const file = join(dir, 'pipeline.json');
      await writeFile(file, JSON.stringify(edit((c) => (c.target.file.path = '${env:FASTLANE_TEST_OUT}'))));
      const env = { FASTLANE_TEST_OUT: join(dir, 'out') };
      expect(await runCli(['validate', `--config=${file}`], env)).toMatchObject({ code: 0 });
      const dry = await runCli(['run', `--config=${file}`, '--dry-run'], env);
      expect(dry.code).toBe(0);
      expect(dry.stdout).toMatch(/pipeline id: +file\.out\.file\.file/);
      expect(dry.stdout).toMatch(/target: +file \(parquet files in .*out\/\), 1 thread\(s\), batch_size 100/);
      expect(dry.stdout).toMatch(/max_buffered_batches: 8/);
    });
  });
});

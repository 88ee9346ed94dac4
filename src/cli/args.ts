import yargs, { type Argv } from 'yargs';
import { FastlaneError } from '../errors.js';

export interface RunCommand {
  readonly kind: 'run';
  readonly config: string;
  readonly source?: string;
  readonly target?: string;
  readonly transform: string;
  readonly logsToFile?: string;
  readonly logsToCloudwatch: boolean;
  readonly logsToSlack: boolean;
  readonly api?: string;
  readonly dryRun: boolean;
  readonly stateDir: string;
  readonly plugins: readonly string[];
  readonly progress: 'auto' | 'tty' | 'log' | 'off';
}

export interface ValidateCommand {
  readonly kind: 'validate';
  readonly config: string;
  readonly source?: string;
  readonly target?: string;
  readonly transform: string;
  readonly plugins: readonly string[];
}

export interface HelpCommand {
  readonly kind: 'help';
  readonly text: string;
}

export type Command = RunCommand | ValidateCommand | HelpCommand;

const EXAMPLES: [string, string][] = [
  ['$0 run --config=examples/file_csv_to_parquet.json', 'copy a CSV file into Parquet files'],
  ['$0 --source=mysql --target=s3 --config=pipeline.json', 'the seed\'s form: run a MySQL -> S3 pipeline'],
  ['$0 validate --config=pipeline.json', 'check a config without connecting anywhere'],
  ['$0 run --config=pipeline.json --dry-run', 'print the plan without moving data'],
];

function stageOptions<T>(y: Argv<T>) {
  return y
    .option('config', { type: 'string', demandOption: true, describe: 'path to the pipeline\'s JSON config' })
    .option('source', { type: 'string', describe: 'source type; may be omitted when the config has one source' })
    .option('target', { type: 'string', describe: 'target type; may be omitted when the config has one target' })
    .option('transform', { type: 'string', default: 'default', describe: 'transform type' })
    .option('plugin', { type: 'string', array: true, default: [] as string[], describe: 'module registering more connectors (repeatable)' });
}

function runOptions<T>(y: Argv<T>) {
  return stageOptions(y)
    .option('logs_to_file', { type: 'string', describe: 'also write logs (JSON lines) to this file' })
    .option('logs_to_cloudwatch', { type: 'boolean', default: false, describe: 'also send logs to CloudWatch Logs' })
    .option('logs_to_slack', { type: 'boolean', default: false, describe: 'send error logs to Slack' })
    .option('api', { type: 'string', describe: 'metrics server URL (or FASTLANE_API_URL)' })
    .option('dry-run', { type: 'boolean', default: false, describe: 'print the plan and exit without moving data' })
    .option('state-dir', { type: 'string', describe: 'folder of exit files (default /tmp/fastlane, or FASTLANE_STATE_DIR)' })
    .option('progress', { choices: ['auto', 'tty', 'log', 'off'] as const, default: 'auto' as const, describe: 'live progress line, periodic log lines, or none' });
}

function build(argv: readonly string[]) {
  return yargs([...argv])
    .scriptName('fastlane')
    .usage('$0 [run] --config=FILE [--source=TYPE] [--target=TYPE] [options]\n\nRuns an ETL pipeline: extract -> Arrow batches -> transform and target worker pools.')
    .command(['run', '$0'], 'run a pipeline', (y) => runOptions(y))
    .command('validate', 'check a config (schema, environment variables) without connecting', (y) => stageOptions(y))
    .example(EXAMPLES)
    .epilogue('Exit codes: 0 done, 1 run failed, 2 bad usage or config (nothing connected), 130 stopped by a signal or an exit file.')
    .strict()
    .help(false)
    .version(false)
    .option('help', { alias: 'h', type: 'boolean', describe: 'show help' })
    .exitProcess(false)
    .fail((message, error) => {
      throw new FastlaneError('FL_USAGE', message || error?.message || 'bad usage', { cause: error });
    })
    .wrap(100);
}

/**
 * Parses a command line (without `node` and the script) into a command. Pure: no output, no exit;
 * a usage mistake throws FL_USAGE.
 */
export async function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Command> {
  const parser = build(argv);
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: await parser.getHelp() };
  const parsed = await parser.parseAsync();
  const kind = parsed._[0] === 'validate' ? 'validate' : 'run';
  if (parsed._.length > 1 || (parsed._.length === 1 && !['run', 'validate'].includes(String(parsed._[0])))) {
    throw new FastlaneError('FL_USAGE', `unknown command '${parsed._.join(' ')}': use run or validate`);
  }
  const common = {
    config: parsed.config as string,
    source: parsed.source as string | undefined,
    target: parsed.target as string | undefined,
    transform: parsed.transform as string,
    plugins: (parsed.plugin as string[]) ?? [],
  };
  if (kind === 'validate') return { kind, ...common };
  return {
    kind,
    ...common,
    logsToFile: parsed.logs_to_file as string | undefined,
    logsToCloudwatch: Boolean(parsed.logs_to_cloudwatch),
    logsToSlack: Boolean(parsed.logs_to_slack),
    api: (parsed.api as string | undefined) ?? env.FASTLANE_API_URL,
    dryRun: Boolean(parsed['dry-run']),
    stateDir: (parsed['state-dir'] as string | undefined) ?? env.FASTLANE_STATE_DIR ?? '/tmp/fastlane',
    progress: parsed.progress as RunCommand['progress'],
  };
}

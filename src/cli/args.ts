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
  /** Seconds between two metric posts to the API. */
  readonly apiInterval: number;
  /** Sent as `Authorization: Bearer` to the API (FASTLANE_API_TOKEN; never on the command line). */
  readonly apiToken?: string;
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

export interface ServeCommand {
  readonly kind: 'serve';
  readonly host: string;
  readonly port: number;
  readonly databaseUrl: string;
  /** FASTLANE_API_TOKEN: when set, writes need `Authorization: Bearer <token>`. */
  readonly token?: string;
  /** FASTLANE_API_AUTH_READS=1: reads need the token too. */
  readonly authenticateReads: boolean;
  readonly bodyLimit: number;
  /** FASTLANE_API_CORS_ORIGIN or --cors-origin: the one browser origin allowed (none by default). */
  readonly corsOrigin?: string;
  /** Run the migrations before listening (default yes). */
  readonly migrate: boolean;
}

export interface DbCommand {
  readonly kind: 'db';
  readonly action: 'migrate' | 'rollback';
  readonly databaseUrl: string;
  /** Version to reach: default the newest (migrate) or one step back (rollback). */
  readonly to?: string;
}

export type Command = RunCommand | ValidateCommand | ServeCommand | DbCommand | HelpCommand;

export const DEFAULT_DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/fastlane';

const EXAMPLES: [string, string][] = [
  ['$0 run --config=examples/file_csv_to_parquet.json', 'copy a CSV file into Parquet files'],
  ['$0 --source=mysql --target=s3 --config=pipeline.json', 'the seed\'s form: run a MySQL -> S3 pipeline'],
  ['$0 validate --config=pipeline.json', 'check a config without connecting anywhere'],
  ['$0 run --config=pipeline.json --dry-run', 'print the plan without moving data'],
  ['$0 run --config=pipeline.json --api=http://127.0.0.1:8001', 'report the run\'s metrics to a metrics server'],
  ['$0 serve --port=8001 --database-url=postgres://postgres@127.0.0.1/fastlane', 'start the metrics server'],
  ['$0 db rollback --database-url=postgres://postgres@127.0.0.1/fastlane', 'undo the newest metrics-database migration'],
];

function databaseOption<T>(y: Argv<T>) {
  return y.option('database-url', { type: 'string', describe: `PostgreSQL URL of the metrics database (or DATABASE_URL; default ${DEFAULT_DATABASE_URL})` });
}

function serveOptions<T>(y: Argv<T>) {
  return databaseOption(y)
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
    .option('port', { type: 'number', describe: 'port to listen on (or PORT; default 8001)' })
    .option('body-limit', { type: 'number', default: 1024 * 1024, describe: 'largest request body in bytes' })
    .option('cors-origin', { type: 'string', describe: 'the one browser origin allowed to call the API (or FASTLANE_API_CORS_ORIGIN; none by default)' })
    .option('migrate', { type: 'boolean', default: true, describe: 'run the database migrations before listening (--no-migrate to skip)' });
}

function dbOptions<T>(y: Argv<T>) {
  return databaseOption(y)
    .positional('action', { choices: ['migrate', 'rollback'] as const, demandOption: true, describe: 'migrate to the newest version, or roll back one' })
    .option('to', { type: 'string', describe: 'version to reach instead (0 undoes every migration)' });
}

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
    .option('api', { type: 'string', describe: 'metrics server URL (or FASTLANE_API_URL); its token from FASTLANE_API_TOKEN' })
    .option('api-interval', { type: 'number', default: 5, describe: 'seconds between two metric posts to the metrics server' })
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
    .command('serve', 'start the metrics server (migrates its database first)', (y) => serveOptions(y))
    .command('db <action>', 'migrate or roll back the metrics database by hand', (y) => dbOptions(y))
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
  const first = String(parsed._[0] ?? 'run');
  if (first === 'serve' && parsed._.length === 1) return serveCommand(parsed, env);
  if (first === 'db' && parsed._.length === 1) return dbCommand(parsed, env);
  const kind = first === 'validate' ? 'validate' : 'run';
  if (parsed._.length > 1 || !['run', 'validate'].includes(first)) {
    throw new FastlaneError('FL_USAGE', `unknown command '${parsed._.join(' ')}': use run, validate, serve or db`);
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
    api: apiUrl((parsed.api as string | undefined) ?? env.FASTLANE_API_URL),
    apiInterval: positiveNumber('--api-interval', parsed['api-interval']),
    ...(env.FASTLANE_API_TOKEN ? { apiToken: env.FASTLANE_API_TOKEN } : {}),
    dryRun: Boolean(parsed['dry-run']),
    stateDir: (parsed['state-dir'] as string | undefined) ?? env.FASTLANE_STATE_DIR ?? '/tmp/fastlane',
    progress: parsed.progress as RunCommand['progress'],
  };
}

type Parsed = Record<string, unknown>;

function positiveNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new FastlaneError('FL_USAGE', `${flag} must be a positive number, not '${String(value)}'`);
  return n;
}

function apiUrl(url: string | undefined): string | undefined {
  if (url === undefined || url === '') return undefined;
  // The URL may carry a password: the message shows it without its user:password@ part.
  const shown = url.replace(/\/\/[^/@\s]*@/, '//');
  if (!/^https?:\/\/[^\s/]+/.test(url)) throw new FastlaneError('FL_USAGE', `--api (or FASTLANE_API_URL) must be an http:// or https:// URL, not '${shown}'`);
  return url;
}

function databaseUrl(parsed: Parsed, env: NodeJS.ProcessEnv): string {
  return (parsed['database-url'] as string | undefined) ?? env.DATABASE_URL ?? DEFAULT_DATABASE_URL;
}

function serveCommand(parsed: Parsed, env: NodeJS.ProcessEnv): ServeCommand {
  const port = Number(parsed.port ?? env.PORT ?? 8001);
  const corsOrigin = (parsed['cors-origin'] as string | undefined) ?? env.FASTLANE_API_CORS_ORIGIN;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new FastlaneError('FL_USAGE', `--port must be 0-65535, not '${String(parsed.port ?? env.PORT)}'`);
  return {
    kind: 'serve',
    host: parsed.host as string,
    port,
    databaseUrl: databaseUrl(parsed, env),
    ...(env.FASTLANE_API_TOKEN ? { token: env.FASTLANE_API_TOKEN } : {}),
    authenticateReads: ['1', 'true', 'yes'].includes((env.FASTLANE_API_AUTH_READS ?? '').toLowerCase()),
    bodyLimit: positiveNumber('--body-limit', parsed['body-limit']),
    ...(corsOrigin ? { corsOrigin } : {}),
    migrate: parsed.migrate !== false,
  };
}

function dbCommand(parsed: Parsed, env: NodeJS.ProcessEnv): DbCommand {
  const to = parsed.to as string | undefined;
  if (to !== undefined && !/^\d+$/.test(to)) throw new FastlaneError('FL_USAGE', `--to must be a migration version number, not '${to}'`);
  return { kind: 'db', action: parsed.action as DbCommand['action'], databaseUrl: databaseUrl(parsed, env), ...(to !== undefined ? { to } : {}) };
}

import yargs, { type Argv } from 'yargs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { FastlaneError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

const PACKAGE_VERSION = `fastlane ${(JSON.parse(readFileSync(join(PACKAGE_ROOT, 'package.json'), 'utf8')) as { version: string }).version}`;

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
  /** --stop-timeout: seconds a stop waits for what is in flight (else the config's stop_timeout_s). */
  readonly stopTimeout?: number;
}

export interface ValidateCommand {
  /** `validate` reads the config only; `check` also connects to source and target. */
  readonly kind: 'validate' | 'check';
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
  /** --rate-limit: requests per second allowed from one client address (no limit when unset). */
  readonly rateLimit?: number;
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

/** Examples and exit codes per command, shown by `fastlane <command> --help`. */
const RUN_EXAMPLES: [string, string][] = [
  ['$0 run --config=examples/file_csv_to_parquet.json', 'copy a CSV file into Parquet files'],
  ['$0 --source=mysql --target=s3 --config=examples/mysql_to_athena_example.json', 'the original command line ("run" may be omitted)'],
  ['$0 run --config=pipeline.json --dry-run', 'print the plan (ids, threads, load sizes) without moving data'],
  ['$0 run --config=pipeline.json --api=http://127.0.0.1:8001', 'send the run\'s metrics and logs to a metrics server'],
];
const VALIDATE_EXAMPLES: [string, string][] = [
  ['$0 validate --config=pipeline.json', 'report every mistake in a config, without connecting anywhere'],
];
const CHECK_EXAMPLES: [string, string][] = [
  ['$0 check --config=examples/integration_mysql_mysql.json', 'connect to source and target; check tables, key, columns, rights'],
];
const SERVE_EXAMPLES: [string, string][] = [
  ['$0 serve --port=8001', 'start the metrics server on 127.0.0.1:8001'],
  ['DATABASE_URL=postgres://postgres@127.0.0.1/fastlane $0 serve', 'the same, with another metrics database'],
];
const DB_EXAMPLES: [string, string][] = [
  ['$0 db migrate', 'bring the metrics database to the newest version'],
  ['$0 db rollback --to=0', 'undo every migration of the metrics database'],
];

const EXIT_CODES = {
  run: 'Exit codes: 0 done, 1 the run failed (or a stop could not load what was in flight within --stop-timeout), 2 bad usage or config (nothing connected), 130 stopped by a signal or an exit file after loading what was in flight.',
  validate: 'Exit codes: 0 the config is valid, 2 it is not (every mistake is listed).',
  check: 'Exit codes: 0 source and target are ready, 1 a problem was found (each is named), 2 bad usage or config.',
  serve: 'Exit codes: 0 stopped by SIGINT/SIGTERM, 1 the server or its database failed, 2 bad usage.',
  db: 'Exit codes: 0 done, 1 the migration failed, 2 bad usage.',
};

function databaseOption<T>(y: Argv<T>) {
  return y.option('database-url', { type: 'string', describe: `PostgreSQL URL of the metrics database (or DATABASE_URL; default ${DEFAULT_DATABASE_URL})` });
}

function serveOptions<T>(y: Argv<T>) {
  return databaseOption(y)
    .option('host', { type: 'string', default: '127.0.0.1', describe: 'address to listen on' })
    .option('port', { type: 'number', describe: 'port to listen on (or PORT; default 8001)' })
    .option('body-limit', { type: 'number', default: 1024 * 1024, describe: 'largest request body in bytes' })
    .option('cors-origin', { type: 'string', describe: 'the one browser origin allowed to call the API (or FASTLANE_API_CORS_ORIGIN; none by default)' })
    .option('rate-limit', { type: 'number', describe: 'requests per second allowed from one client address; more answer 429 (no limit by default)' })
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
    .option('stop-timeout', { type: 'number', describe: 'seconds a stop (signal, exit file) waits for batches in flight before giving up with exit 1 (default: the config\'s stop_timeout_s, 30)' })
    .option('progress', { choices: ['auto', 'tty', 'log', 'off'] as const, default: 'auto' as const, describe: 'live progress line, periodic log lines, or none' });
}

/** Examples and the exit codes, shown under a command's help. */
function documented<T>(y: Argv<T>, examples: [string, string][], exitCodes: string) {
  return y.example(examples).epilogue(exitCodes);
}

function build(argv: readonly string[]) {
  return yargs([...argv])
    .scriptName('npx fastlane')
    .usage('$0 <command> [options]\n\nRuns an ETL pipeline: extract -> Arrow batches -> transform and target worker pools.\nRun `npx fastlane <command> --help` for a command\'s options, examples and exit codes.')
    .command(['run', '$0'], 'run a pipeline (the default command)', (y) => documented(runOptions(y), RUN_EXAMPLES, EXIT_CODES.run))
    .command('validate', 'check a config (schema, environment variables) without connecting', (y) => documented(stageOptions(y), VALIDATE_EXAMPLES, EXIT_CODES.validate))
    .command('check', 'connect to source and target and check they are ready, moving no data', (y) => documented(stageOptions(y), CHECK_EXAMPLES, EXIT_CODES.check))
    .command('serve', 'start the metrics server (migrates its database first)', (y) => documented(serveOptions(y), SERVE_EXAMPLES, EXIT_CODES.serve))
    .command('db <action>', 'migrate or roll back the metrics database by hand', (y) => documented(dbOptions(y), DB_EXAMPLES, EXIT_CODES.db))
    .strict()
    .help(false)
    .version(false)
    .option('help', { alias: 'h', type: 'boolean', describe: 'show help' })
    .option('version', { type: 'boolean', describe: 'show the version' })
    .exitProcess(false)
    .fail((message, error) => {
      throw new FastlaneError('FL_USAGE', `${message || error?.message || 'bad usage'}; try '${helpCommand(argv)}'`, { cause: error });
    })
    // URLs and paths in examples must not be cut mid-word: lines are not wrapped.
    .wrap(null);
}

const COMMANDS = ['run', 'validate', 'check', 'serve', 'db'];

/** `npx fastlane validate --help` when the command line names a command, else `npx fastlane --help`. */
function helpCommand(argv: readonly string[]): string {
  const command = argv.find((arg) => COMMANDS.includes(arg));
  return `npx fastlane ${command ? `${command} ` : ''}--help`;
}

/**
 * Parses a command line (without `node` and the script) into a command. Pure: no output, no exit;
 * a usage mistake throws FL_USAGE.
 */
export async function parseArgs(argv: readonly string[], env: NodeJS.ProcessEnv = {}): Promise<Command> {
  if (argv.length === 0) throw new FastlaneError('FL_USAGE', "no command given; try 'npx fastlane --help'");
  const parser = build(argv);
  if (argv.includes('--help') || argv.includes('-h')) return { kind: 'help', text: await parser.getHelp() };
  if (argv.includes('--version')) return { kind: 'help', text: PACKAGE_VERSION };
  const parsed = await parser.parseAsync();
  const first = String(parsed._[0] ?? 'run');
  if (first === 'serve' && parsed._.length === 1) return serveCommand(parsed, env);
  if (first === 'db' && parsed._.length === 1) return dbCommand(parsed, env);
  const kind = first === 'validate' || first === 'check' ? first : 'run';
  if (parsed._.length > 1 || !['run', 'validate', 'check'].includes(first)) {
    throw new FastlaneError('FL_USAGE', `unknown command '${parsed._.join(' ')}': use run, validate, check, serve or db; try 'npx fastlane --help'`);
  }
  const common = {
    config: parsed.config as string,
    source: parsed.source as string | undefined,
    target: parsed.target as string | undefined,
    transform: parsed.transform as string,
    plugins: (parsed.plugin as string[]) ?? [],
  };
  if (kind === 'validate' || kind === 'check') return { kind, ...common };
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
    ...(parsed['stop-timeout'] === undefined ? {} : { stopTimeout: nonNegativeNumber('--stop-timeout', parsed['stop-timeout']) }),
  };
}

type Parsed = Record<string, unknown>;

function positiveNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new FastlaneError('FL_USAGE', `${flag} must be a positive number, not '${String(value)}'`);
  return n;
}

function requestsPerSecond(value: unknown): number {
  const n = positiveNumber('--rate-limit', value);
  if (!Number.isInteger(n)) throw new FastlaneError('FL_USAGE', `--rate-limit must be a whole number of requests per second, not '${String(value)}'`);
  return n;
}

function nonNegativeNumber(flag: string, value: unknown): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n < 0) throw new FastlaneError('FL_USAGE', `${flag} must be a number of seconds (0 or more), not '${String(value)}'`);
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
    ...(parsed['rate-limit'] !== undefined ? { rateLimit: requestsPerSecond(parsed['rate-limit']) } : {}),
    migrate: parsed.migrate !== false,
  };
}

function dbCommand(parsed: Parsed, env: NodeJS.ProcessEnv): DbCommand {
  const to = parsed.to as string | undefined;
  if (to !== undefined && !/^\d+$/.test(to)) throw new FastlaneError('FL_USAGE', `--to must be a migration version number, not '${to}'`);
  return { kind: 'db', action: parsed.action as DbCommand['action'], databaseUrl: databaseUrl(parsed, env), ...(to !== undefined ? { to } : {}) };
}

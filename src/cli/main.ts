import { parseArgs, type RunCommand, type ValidateCommand } from './args.js';
import { EXIT, exitCodeFor } from './exit-codes.js';
import { createObservers } from './observers.js';
import { planText } from './plan-text.js';
import { loadPlugins } from './plugins.js';
import { builtinRegistry } from '../connectors/index.js';
import { loadConfigFile } from '../config/load.js';
import { planPipeline, type PipelinePlan } from '../config/plan.js';
import { describeError, isFastlaneError } from '../errors.js';
import { createLogger, type Logger } from '../logging/logger.js';
import { createLogSinks, type LogSinks } from '../logging/sinks/index.js';
import { runPipeline } from '../pipeline/run.js';
import { StopRequest } from '../pipeline/stop.js';

export interface Io {
  readonly stdout: (text: string) => void;
  readonly stderr: (text: string) => void;
  readonly env: NodeJS.ProcessEnv;
}

const defaultIo: Io = {
  stdout: (text) => process.stdout.write(text),
  stderr: (text) => process.stderr.write(text),
  env: process.env,
};

/** Runs the CLI and returns its exit code (see EXIT). */
export async function main(argv: readonly string[], io: Io = defaultIo): Promise<number> {
  try {
    const command = await parseArgs(argv, io.env);
    if (command.kind === 'help') {
      io.stdout(`${command.text}\n`);
      return EXIT.OK;
    }
    // The server's libraries load only for the server's commands.
    if (command.kind === 'serve') return await (await import('./commands/serve.js')).serve(command, io);
    if (command.kind === 'db') return await (await import('./commands/db.js')).db(command, io);
    const plan = await loadPlan(command, io);
    if (command.kind !== 'run') {
      if (command.kind === 'check') return await (await import('./commands/check.js')).check(plan, io);
      io.stdout(`${command.config} is valid: pipeline ${plan.pipelineId}\n`);
      return EXIT.OK;
    }
    if (command.dryRun) {
      io.stdout(`${planText(plan)}\n`);
      return EXIT.OK;
    }
    return await run(command, plan, io);
  } catch (error) {
    io.stderr(`fastlane: ${describeError(error)}\n`);
    return isFastlaneError(error) ? exitCodeFor(error.code) : EXIT.RUN_FAILED;
  }
}

async function loadPlan(command: RunCommand | ValidateCommand, io: Io): Promise<PipelinePlan> {
  const registry = builtinRegistry();
  await loadPlugins(registry, command.plugins);
  const config = await loadConfigFile(command.config, { registry, transformType: command.transform, env: io.env });
  return planPipeline(config, registry, command);
}

/** CloudWatch Logs and Slack, when the flags or the config's `logs` section ask for them. */
function logSinks(command: RunCommand, plan: PipelinePlan, io: Io, runStart: Date): Promise<LogSinks> {
  return createLogSinks({ cloudwatch: command.logsToCloudwatch, slack: command.logsToSlack }, {
    pipelineId: plan.pipelineId,
    runStart,
    logs: plan.config.logs,
    region: plan.config.ssm?.region,
    env: io.env,
    onError: (error) => io.stderr(`fastlane: ${error.message}\n`),
  });
}

/** Waits for the sinks to send what they hold, but not forever. */
async function flushSinks(sinks: LogSinks): Promise<void> {
  let timer: NodeJS.Timeout | undefined;
  await Promise.race([sinks.flush(), new Promise((resolve) => { timer = setTimeout(resolve, 10_000); })]);
  clearTimeout(timer);
}

async function run(command: RunCommand, plan: PipelinePlan, io: Io): Promise<number> {
  const runStart = new Date();
  const sinks = await logSinks(command, plan, io, runStart);
  const logger = createLogger({ level: plan.config.logs.level, file: command.logsToFile ?? plan.config.logs.log_file, transports: sinks.transports });
  const stop = StopRequest.forPipeline(command.stateDir, plan.pipelineId);
  stop.leftBehind = () => leftBehind(plan, String(runStart.getTime()));
  stop.watch(true);
  const stopTimeout = command.stopTimeout ?? plan.config.stop_timeout_s;
  stop.onStop((reason) => {
    logger.warn(`stop requested (${reason}): extraction stops, batches in flight are loaded (at most ${stopTimeout} s)`);
    if (reason !== 'exit file') exitIfCleanupHangs(stopTimeout, io);
  });
  try {
    const observers = createObservers(command, logger, { logStream: sinks.logStream, plan });
    const summary = await runPipeline({ plan, logger, stop, observers, runId: String(runStart.getTime()), stopTimeoutSeconds: stopTimeout });
    if (summary.status === 'failed') return EXIT.RUN_FAILED;
    return summary.status === 'exited' ? EXIT.STOPPED : EXIT.OK;
  } finally {
    stop.dispose();
    await flushSinks(sinks);
    await closeLogger(logger);
  }
}

/** After the stop's bound, cleanup (aborting the target, closing connections) gets this long. */
const CLEANUP_GRACE_SECONDS = 15;

/**
 * The last resort of a signalled stop: the run gives up at the stop timeout; if its cleanup then
 * hangs as well, the process exits 1 anyway, so a SIGTERM always ends it within a bounded time.
 */
function exitIfCleanupHangs(stopTimeoutSeconds: number, io: Io): void {
  setTimeout(() => {
    io.stderr(`fastlane: FL_STOP_TIMEOUT: the run did not end within ${stopTimeoutSeconds + CLEANUP_GRACE_SECONDS} s of the stop request; exiting without cleaning up\n`);
    process.exit(EXIT.RUN_FAILED);
  }, (stopTimeoutSeconds + CLEANUP_GRACE_SECONDS) * 1000).unref();
}

async function closeLogger(logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 2000).unref();
  });
}

/** What a run stopped at once (second Ctrl-C) leaves, and what becomes of it. */
function leftBehind(plan: PipelinePlan, runId: string): string {
  if (plan.config.replication_mode === 'FULL_TABLE') {
    return `loads in flight were cut off and nothing was committed; the target is unchanged. Run ${runId}'s staging (file: '<path>.staging-${runId}', MySQL: '_fl_stage_..._${runId}', S3: '<table>/_table_version=${runId}/') is left behind; the next run of ${plan.pipelineId} removes it`;
  }
  return `loads in flight were cut off; the target keeps what was loaded, and the next run of ${plan.pipelineId} resumes after the last recorded offset (rows after it may be loaded again)`;
}

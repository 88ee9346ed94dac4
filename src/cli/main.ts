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
import { runPipeline } from '../pipeline/run.js';
import { StopRequest } from '../pipeline/stop.js';
import { summaryLine } from '../pipeline/progress.js';

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
    const plan = await loadPlan(command, io);
    if (command.kind === 'validate') {
      io.stdout(`${command.config} is valid: pipeline ${plan.pipelineId}\n`);
      return EXIT.OK;
    }
    if (command.dryRun) {
      io.stdout(`${planText(plan)}\n`);
      return EXIT.OK;
    }
    return await run(command, plan);
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

async function run(command: RunCommand, plan: PipelinePlan): Promise<number> {
  const logger = createLogger({ level: plan.config.logs.level, file: command.logsToFile ?? plan.config.logs.log_file });
  const stop = StopRequest.forPipeline(command.stateDir, plan.pipelineId);
  stop.watch(true);
  stop.onStop((reason) => logger.warn(`stop requested (${reason}): extraction stops, batches in flight are loaded`));
  try {
    const summary = await runPipeline({ plan, logger, stop, observers: createObservers(command, logger) });
    logger.log(summary.status === 'failed' ? 'error' : 'info', summaryLine(summary));
    if (summary.status === 'failed') return EXIT.RUN_FAILED;
    return summary.status === 'exited' ? EXIT.STOPPED : EXIT.OK;
  } finally {
    stop.dispose();
    await closeLogger(logger);
  }
}

async function closeLogger(logger: Logger): Promise<void> {
  await new Promise<void>((resolve) => {
    logger.on('finish', () => resolve());
    logger.end();
    setTimeout(resolve, 2000).unref();
  });
}

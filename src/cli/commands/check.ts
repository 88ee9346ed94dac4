import type { PipelinePlan } from '../../config/plan.js';
import { describeError } from '../../errors.js';
import type { SourceConnector, TargetConnector } from '../../registry.js';
import { EXIT } from '../exit-codes.js';

interface CheckIo {
  readonly stdout: (text: string) => void;
}

type Checkable = Pick<SourceConnector<never> | TargetConnector<never>, 'check'>;

/**
 * `fastlane check`: connects to the source and the target and checks, moving no data, that
 * what the config names is there and the credentials may use it. Exit 0 when all is well, 1 when
 * a problem was found (as a connection error in a run does).
 */
export async function check(plan: PipelinePlan, io: CheckIo): Promise<number> {
  const stages = [
    { kind: 'source', type: plan.source.type, connector: plan.source.connector as Checkable, config: plan.source.config },
    { kind: 'target', type: plan.target.type, connector: plan.target.connector as Checkable, config: plan.target.config },
  ];
  let problems = 0;
  for (const stage of stages) {
    const label = `${stage.kind} ${stage.type}`;
    if (!stage.connector.check) {
      io.stdout(`${label}: not checked (this connector has no check); its config is valid\n`);
      continue;
    }
    const found = await stage.connector.check(stage.config as never).catch((error: unknown) => [describeError(error)]);
    problems += found.length;
    io.stdout(found.length === 0 ? `${label}: ok\n` : found.map((problem) => `${label}: ${problem}\n`).join(''));
  }
  io.stdout(problems === 0 ? `pipeline ${plan.pipelineId} is ready to run\n` : `pipeline ${plan.pipelineId}: ${problems} problem${problems > 1 ? 's' : ''} found\n`);
  return problems === 0 ? EXIT.OK : EXIT.RUN_FAILED;
}

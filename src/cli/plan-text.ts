import type { PipelinePlan } from '../config/plan.js';
import { loadSize } from '../pipeline/load-size.js';

type Describable = { describe?(config: never): string };

function describe(connector: Describable, config: unknown): string {
  return connector.describe ? ` (${connector.describe(config as never)})` : '';
}

/** The plan `--dry-run` prints: what would run, with no secret in it. */
export function planText(plan: PipelinePlan): string {
  const source = plan.source.config as { batch_size?: number };
  const target = plan.target.config as { batch_size?: number; concurrency?: number };
  const transform = plan.transform.config as { concurrency?: number };
  const load = loadSize(plan);
  const loadText = load.reason ? `batch_size ${load.configured}, but loads of up to ${load.rows} rows: ${load.reason}` : `batch_size ${target.batch_size ?? '-'}`;
  return [
    `pipeline id:          ${plan.pipelineId}`,
    `replication mode:     ${plan.config.replication_mode}`,
    `source:               ${plan.source.type}${describe(plan.source.connector, plan.source.config)}, main thread, batch_size ${source.batch_size ?? '-'}`,
    `transform:            ${plan.transform.type}${describe(plan.transform.connector, plan.transform.config)}, ${transform.concurrency ?? 1} thread(s)`,
    `target:               ${plan.target.type}${describe(plan.target.connector, plan.target.config)}, ${target.concurrency ?? 1} thread(s), ${loadText}`,
    `max_buffered_batches: ${plan.config.max_buffered_batches}`,
  ].join('\n');
}

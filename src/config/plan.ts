import { FastlaneError } from '../errors.js';
import type { Registry, SourceConnector, TargetConnector, TransformConnector } from '../registry.js';
import type { PipelineConfig } from './types.js';

export interface StagePlan<C> {
  /**
   * The connector's canonical type name, whatever alias the config or the command line used
   * (`athena` is `s3`): one config has one pipeline id, one history and one exit file.
   */
  readonly type: string;
  readonly connector: C;
  readonly config: Readonly<Record<string, unknown>>;
}

/** What a run will do, resolved once from the config, the command line and the registry. */
export interface PipelinePlan {
  readonly pipelineId: string;
  readonly config: PipelineConfig;
  readonly source: StagePlan<SourceConnector<never>>;
  readonly transform: StagePlan<TransformConnector<never>>;
  readonly target: StagePlan<TargetConnector<never>>;
}

export interface StageChoice {
  readonly source?: string;
  readonly target?: string;
  readonly transform: string;
}

export function planPipeline(config: PipelineConfig, registry: Registry, choice: StageChoice): PipelinePlan {
  const source = pickSection(registry, 'source', config.source, choice.source);
  const target = pickSection(registry, 'target', config.target, choice.target);
  const transform = registry.get('transform', choice.transform);
  const sourceConnector = registry.get('source', source.key);
  const targetConnector = registry.get('target', target.key);
  const targetId = targetConnector.targetId(target.config as never);
  return Object.freeze({
    pipelineId: `${targetId}.${sourceConnector.type}.${targetConnector.type}`,
    config,
    source: Object.freeze({ type: sourceConnector.type, connector: sourceConnector, config: source.config }),
    transform: Object.freeze({ type: transform.type, connector: transform, config: config.transform }),
    target: Object.freeze({ type: targetConnector.type, connector: targetConnector, config: target.config }),
  });
}

/**
 * The config section a run uses: the one named on the command line (an alias of the same
 * connector counts), or the only one when the command line names none.
 */
function pickSection(
  registry: Registry,
  kind: 'source' | 'target',
  sections: PipelineConfig['source'],
  wanted: string | undefined,
): { key: string; config: Readonly<Record<string, unknown>> } {
  const keys = Object.keys(sections);
  if (wanted === undefined) {
    if (keys.length !== 1) {
      throw new FastlaneError('FL_USAGE', `the config has ${kind}s ${keys.join(', ')}: choose one with --${kind}=TYPE`);
    }
    return { key: keys[0], config: sections[keys[0]] };
  }
  if (!registry.has(kind, wanted)) {
    throw new FastlaneError('FL_UNKNOWN_CONNECTOR', `--${kind}=${wanted}: unknown ${kind} type '${wanted}'; available: ${registry.names(kind).join(', ')}`);
  }
  const connector = registry.get(kind, wanted);
  const key = keys.find((k) => registry.get(kind, k) === connector);
  if (key === undefined) {
    throw new FastlaneError('FL_CONFIG_MISMATCH', `--${kind}=${wanted} but the config's ${kind} section has ${keys.join(', ')}: add a '${wanted}' section or change --${kind}`);
  }
  return { key, config: sections[key] };
}

import { readFile } from 'node:fs/promises';
import type { Ajv, ErrorObject, ValidateFunction } from 'ajv';
import { FastlaneError } from '../errors.js';
import type { ConnectorSchema, Registry, StageKind } from '../registry.js';
import { deepFreeze } from './freeze.js';
import { substituteEnvCollecting } from './env.js';
import { formatSchemaErrors } from './errors.js';
import { parseJsonText } from './json.js';
import { createAjv, readSchema } from './schema-store.js';
import type { PipelineConfig } from './types.js';

export interface LoadOptions {
  readonly registry: Registry;
  /** The transform chosen on the command line (`--transform`); its schema checks `transform`. */
  readonly transformType: string;
  readonly env?: NodeJS.ProcessEnv;
}

/** Reads, substitutes, validates, defaults and freezes a config file. Never connects anywhere. */
export async function loadConfigFile(file: string, options: LoadOptions): Promise<PipelineConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw new FastlaneError('FL_CONFIG_READ', `cannot read the config file '${file}': ${(error as Error).message}`, { cause: error });
  }
  return parseConfig(parseJsonText(text, file), file, options);
}

/**
 * Substitutes, validates, defaults and freezes a parsed config. Every mistake that can be found
 * without connecting is reported at once, in one FL_CONFIG_INVALID error: schema errors, unknown
 * connector types, missing `${env:...}` variables, and what each connector's `checkConfig` finds
 * (a column type that cannot exist...). Only missing variables alone give FL_CONFIG_ENV.
 */
export function parseConfig(json: unknown, file: string, options: LoadOptions): PipelineConfig {
  const { data, missing } = substituteEnvCollecting(json, options.env ?? process.env);
  const validate = pipelineValidator(options.registry, options.transformType);
  const valid = validate(data);
  const schemaLines = valid ? [] : formatSchemaErrors(unknownTypeFirst(validate.errors ?? [], options.registry), data);
  const lines = [...schemaLines, ...connectorProblems(data, options.registry, schemaLines)];
  if (lines.length === 0 && missing.length > 0) throw new FastlaneError('FL_CONFIG_ENV', missing.join('; '));
  if (lines.length > 0) {
    const all = [...lines, ...missing];
    throw new FastlaneError('FL_CONFIG_INVALID', `${file} is not a valid config:\n  - ${all.join('\n  - ')}`, { context: { errors: all } });
  }
  return deepFreeze(withSecretRegion(data as PipelineConfig));
}

/**
 * The top-level `ssm.region` is the region of every section's `secret` that names no
 * `secret_region` of its own, as in the original's configs.
 */
function withSecretRegion(config: PipelineConfig): PipelineConfig {
  const region = config.ssm?.region;
  if (region === undefined) return config;
  const fill = (sections: Readonly<Record<string, Readonly<Record<string, unknown>>>>) => Object.fromEntries(
    Object.entries(sections).map(([type, section]) => [type, section.secret !== undefined && section.secret_region === undefined ? { ...section, secret_region: region } : section]),
  );
  return { ...config, source: fill(config.source), target: fill(config.target) };
}

/**
 * A section key that names no connector is an unknown connector type, not an unknown field:
 * ajv's additionalProperties error on `/source` or `/target` is reworded so.
 */
function unknownTypeFirst(errors: readonly ErrorObject[], registry: Registry): ErrorObject[] {
  return errors.map((error) => {
    const kind = error.instancePath.slice(1);
    if (error.keyword !== 'additionalProperties' || (kind !== 'source' && kind !== 'target')) return error;
    const type = String((error.params as { additionalProperty: string }).additionalProperty);
    return { ...error, keyword: 'unknownConnector', message: unknownTypeMessage(registry, kind, type) };
  });
}

export function unknownTypeMessage(registry: Registry, kind: StageKind, type: string): string {
  return `unknown ${kind} type '${type}'; available: ${registry.names(kind).join(', ')}`;
}

/** What connectors find wrong in their own sections (only sections the schema found no fault in). */
function connectorProblems(data: unknown, registry: Registry, schemaLines: readonly string[]): string[] {
  if (data === null || typeof data !== 'object') return [];
  const problems: string[] = [];
  for (const kind of ['source', 'target'] as const) {
    const sections = (data as Record<string, unknown>)[kind];
    if (sections === null || typeof sections !== 'object') continue;
    for (const [type, section] of Object.entries(sections)) {
      const path = `${kind}.${type}`;
      if (!registry.has(kind, type) || schemaLines.some((line) => line.startsWith(path))) continue;
      const check = registry.get(kind, type).checkConfig as ((config: unknown) => string[]) | undefined;
      for (const problem of check?.(section) ?? []) problems.push(`${path}.${problem}`);
    }
  }
  return problems;
}

const cache = new WeakMap<Registry, Map<string, ValidateFunction>>();

/** The pipeline schema with source, target and transform filled in from the registry. */
function pipelineValidator(registry: Registry, transformType: string): ValidateFunction {
  const byTransform = cache.get(registry) ?? new Map<string, ValidateFunction>();
  cache.set(registry, byTransform);
  const cached = byTransform.get(transformType);
  if (cached) return cached;
  const transform = registry.get('transform', transformType);
  const ajv: Ajv = createAjv(pluginSchemas(registry));
  const base = readSchema('pipeline.schema.json');
  const properties = base.properties as Record<string, unknown>;
  const schema = {
    ...base,
    $id: `pipeline-with-${transformType}.schema.json`,
    properties: {
      ...properties,
      source: sectionSchema(registry, 'source'),
      target: sectionSchema(registry, 'target'),
      transform: { $ref: schemaRef(transform.schema), default: {} },
    },
  };
  const validate = ajv.compile(schema);
  byTransform.set(transformType, validate);
  return validate;
}

function sectionSchema(registry: Registry, kind: StageKind): Record<string, unknown> {
  const properties: Record<string, unknown> = {};
  for (const name of registry.names(kind)) properties[name] = { $ref: schemaRef(registry.get(kind, name).schema) };
  return { type: 'object', minProperties: 1, additionalProperties: false, properties };
}

function schemaRef(schema: string | ConnectorSchema): string {
  return typeof schema === 'string' ? schema : schema.$id;
}

/** Schemas that plugin connectors carry inline. */
function pluginSchemas(registry: Registry): ConnectorSchema[] {
  const kinds: StageKind[] = ['source', 'transform', 'target'];
  return kinds.flatMap((kind) => registry.connectors(kind).map((c) => c.schema).filter((s): s is ConnectorSchema => typeof s !== 'string'));
}

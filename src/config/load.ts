import { readFile } from 'node:fs/promises';
import type { Ajv, ValidateFunction } from 'ajv';
import { FastlaneError } from '../errors.js';
import type { ConnectorSchema, Registry, StageKind } from '../registry.js';
import { deepFreeze } from './freeze.js';
import { substituteEnv } from './env.js';
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

export function parseConfig(json: unknown, file: string, options: LoadOptions): PipelineConfig {
  const data = substituteEnv(json, options.env ?? process.env);
  const validate = pipelineValidator(options.registry, options.transformType);
  if (!validate(data)) {
    const lines = formatSchemaErrors(validate.errors ?? [], data);
    throw new FastlaneError('FL_CONFIG_INVALID', `${file} is not a valid config:\n  - ${lines.join('\n  - ')}`, {
      context: { errors: lines },
    });
  }
  return deepFreeze(data as PipelineConfig);
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

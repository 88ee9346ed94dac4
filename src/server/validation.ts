import { Ajv, type AnySchema, type Options } from 'ajv';
import type { FastifyServerOptions } from 'fastify';

type HttpPart = 'body' | 'querystring' | 'params' | 'headers';

/** What Fastify's own compiler sets, less what this server wants otherwise. */
const BASE: Options = {
  useDefaults: true,
  // Unknown fields are refused with a 400 naming them, not silently dropped.
  removeAdditional: false,
  // One error is enough to answer, and stops early on hostile input.
  allErrors: false,
  allowUnionTypes: true,
  addUsedSchema: false,
};

function ajvWith(externalSchemas: Record<string, unknown>, coerceTypes: Options['coerceTypes']): Ajv {
  const ajv = new Ajv({ ...BASE, coerceTypes });
  for (const schema of Object.values(externalSchemas)) ajv.addSchema(schema as AnySchema);
  return ajv;
}

/**
 * Validators per request part: JSON bodies are taken as they are (`"pipeline_id": 12345` is not
 * a string, `[1]` is not a number), while query strings, which are text by nature, are coerced
 * to the types their schemas declare (`?limit=10`).
 */
export const schemaController: FastifyServerOptions['schemaController'] = {
  compilersFactory: {
    buildValidator(externalSchemas: Record<string, unknown>) {
      const strict = ajvWith(externalSchemas, false);
      const coercing = ajvWith(externalSchemas, 'array');
      return ({ schema, httpPart }: { schema: AnySchema; httpPart?: string }) =>
        ((httpPart as HttpPart) === 'body' ? strict : coercing).compile(schema);
    },
  },
};

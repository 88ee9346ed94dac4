import type { FastifyInstance } from 'fastify';
import { readSchema } from '../config/schema-store.js';

const API_SCHEMAS = ['api/common.schema.json', 'api/pipeline.schema.json', 'api/run.schema.json', 'api/series.schema.json', 'api/logs.schema.json'];

/** Makes the request and response schemas of schemas/api/ known to the app by their `$id`. */
export function registerApiSchemas(app: FastifyInstance): void {
  for (const id of API_SCHEMAS) app.addSchema(readSchema(id));
}

/** A reference to one definition of a schema under schemas/api/. */
export function ref(file: 'common' | 'pipeline' | 'run' | 'series' | 'logs', def: string): { $ref: string } {
  return { $ref: `api/${file}.schema.json#/$defs/${def}` };
}

import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import { Ajv, type AnySchema, type ValidateFunction } from 'ajv';
import { PACKAGE_ROOT } from '../paths.js';

const SCHEMA_DIR = join(PACKAGE_ROOT, 'schemas');

function schemaFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) return schemaFiles(path);
    return name.endsWith('.schema.json') ? [path] : [];
  });
}

/**
 * One ajv instance holding every schema under schemas/ by its path there (its `$id`).
 * allErrors: every mistake is reported at once; useDefaults: defaults live in the schemas.
 */
export function createAjv(extraSchemas: readonly AnySchema[] = []): Ajv {
  const ajv = new Ajv({ allErrors: true, useDefaults: true, strict: true, allowUnionTypes: true, verbose: true });
  for (const file of schemaFiles(SCHEMA_DIR)) {
    const schema = JSON.parse(readFileSync(file, 'utf8')) as { $id?: string };
    const id = relative(SCHEMA_DIR, file).split('\\').join('/');
    if (schema.$id !== id) throw new Error(`${file}: $id must be '${id}'`);
    ajv.addSchema(schema as AnySchema);
  }
  for (const schema of extraSchemas) ajv.addSchema(schema);
  return ajv;
}

/** The compiled validator of one schema file (relative to schemas/). */
export function compileSchema(ajv: Ajv, id: string): ValidateFunction {
  const validate = ajv.getSchema(id);
  if (!validate) throw new Error(`no schema '${id}' under schemas/`);
  return validate;
}

export function readSchema(id: string): Record<string, unknown> {
  return JSON.parse(readFileSync(join(SCHEMA_DIR, id), 'utf8')) as Record<string, unknown>;
}

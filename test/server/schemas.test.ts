import { describe, expect, it } from '@jest/globals';
import { createAjv, readSchema } from '../../src/config/schema-store.js';

const FILES = ['common', 'pipeline', 'run', 'series', 'logs'];

describe('schemas/api', () => {
  const ajv = createAjv();

  it.each(FILES)('api/%s.schema.json compiles every definition under the strict project ajv', (file) => {
    const schema = readSchema(`api/${file}.schema.json`) as { $defs: Record<string, unknown> };
    for (const def of Object.keys(schema.$defs)) expect(ajv.getSchema(`api/${file}.schema.json#/$defs/${def}`)).toBeDefined();
  });

  it('describes the seed\'s run fields', () => {
    const validate = ajv.getSchema('api/run.schema.json#/$defs/update');
    expect(validate?.({ pipeline_run_id: 3, status: 'completed', rows_loaded: 10, end_offset: 99 })).toBe(true);
    expect(validate?.({ pipeline_run_id: 3, status: 'done' })).toBe(false);
    expect(validate?.errors?.[0]).toMatchObject({ instancePath: '/status', keyword: 'enum' });
  });
});

import { describe, expect, it } from '@jest/globals';
import { parseConfig } from '../../src/config/load.js';
import { builtinRegistry } from '../../src/connectors/index.js';

const registry = builtinRegistry();
const parse = (json: unknown) => parseConfig(json, 'pipeline.json', { registry, transformType: 'default', env: {} });

const base = (source: Record<string, unknown>) => ({
  source: { mysql: { host: '127.0.0.1', db: 'shop', table: 'orders', key: 'id', ...source } },
  target: { file: { path: 'out', format: 'parquet' } },
  replication_mode: 'FULL_TABLE',
});

describe("the top-level ssm.region (the original's configs)", () => {
  it("is the region of a section's secret that names none of its own", () => {
    const config = parse({ ...base({ secret: 'db-credentials' }), ssm: { region: 'eu-west-1' } });
    expect(config.source.mysql.secret_region).toBe('eu-west-1');
    expect(Object.isFrozen(config.source.mysql)).toBe(true);
  });

  it("gives way to the section's own secret_region", () => {
    const config = parse({ ...base({ secret: 'db-credentials', secret_region: 'us-east-2' }), ssm: { region: 'eu-west-1' } });
    expect(config.source.mysql.secret_region).toBe('us-east-2');
  });

  it('adds nothing to a section without a secret', () => {
    const config = parse({ ...base({}), ssm: { region: 'eu-west-1' } });
    expect(config.source.mysql.secret_region).toBeUndefined();
    expect(config.target.file.secret_region).toBeUndefined();
  });
});

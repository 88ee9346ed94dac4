import { mkdtemp, rm } from 'node:fs/promises';
import { readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { builtinRegistry } from '../../src/connectors/index.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline, type PipelinePlan } from '../../src/config/plan.js';
import { silentLogger } from '../../src/logging/logger.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import type { RunSummary } from '../../src/pipeline/stats.js';
import type { Registry } from '../../src/registry.js';
import registerTestConnectors from '../fixtures/connectors/plugin.js';

export const REPO_ROOT = resolve(import.meta.dirname ?? new URL('.', import.meta.url).pathname, '..', '..');
/** Data files the tests read, kept in the repository so a clone alone passes `npm test`. */
export const FIXTURE_DATA = resolve(REPO_ROOT, 'test', 'fixtures', 'data');
/** The original project's example configs, verbatim, for compatibility tests. */
export const SEED_EXAMPLES = resolve(REPO_ROOT, 'test', 'fixtures', 'seed-examples');

/** The built-in connectors plus the test ones (generated source, slow target). */
export function testRegistry(): Registry {
  const registry = builtinRegistry();
  registerTestConnectors(registry);
  return registry;
}

/**
 * Plans a config the way the CLI does. `replication_mode` is required in configs; tests about
 * something else may leave it out and get FULL_TABLE.
 */
export function planFor(config: unknown, registry: Registry = testRegistry(), transform = 'default'): PipelinePlan {
  const withMode = { replication_mode: 'FULL_TABLE', ...(config as Record<string, unknown>) };
  const validated = parseConfig(withMode, 'test-config.json', { registry, transformType: transform, env: process.env });
  return planPipeline(validated, registry, { transform });
}

export async function runConfig(config: unknown, options: { stop?: StopRequest; registry?: Registry } = {}): Promise<RunSummary> {
  const plan = planFor(config, options.registry);
  return runPipeline({ plan, logger: silentLogger(), stop: options.stop ?? new StopRequest(null) });
}

export async function withTempDir<T>(body: (dir: string) => Promise<T>): Promise<T> {
  const dir = await mkdtemp(join(tmpdir(), 'fastlane-test-'));
  try {
    return await body(dir);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** OS threads of this process (Linux): worker threads are threads. */
export function threadCount(): number {
  return readdirSync('/proc/self/task').length;
}

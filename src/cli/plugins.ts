import { resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { FastlaneError } from '../errors.js';
import type { Registry } from '../registry.js';

/**
 * Loads `--plugin` modules: each default-exports a function that registers connectors, so
 * connectors outside this package run like the built-in ones (their modules load in workers too).
 */
export async function loadPlugins(registry: Registry, plugins: readonly string[]): Promise<void> {
  for (const plugin of plugins) {
    const url = /^[a-z]+:/.test(plugin) ? plugin : pathToFileURL(resolve(plugin)).href;
    let module: { default?: unknown };
    try {
      module = (await import(url)) as { default?: unknown };
    } catch (error) {
      throw new FastlaneError('FL_USAGE', `cannot load --plugin ${plugin}: ${(error as Error).message}`, { cause: error });
    }
    if (typeof module.default !== 'function') {
      throw new FastlaneError('FL_USAGE', `--plugin ${plugin} must default-export a function (registry) => void`);
    }
    (module.default as (registry: Registry) => void)(registry);
  }
}

import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The package's root folder (holding schemas/ and workers/), from source or from dist/. */
export const PACKAGE_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));

function findRoot(from: string): string {
  for (let dir = from; ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'schemas', 'pipeline.schema.json')) && existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) throw new Error(`cannot find Fastlane's schemas/ above ${from}`);
  }
}

/** True when running from TypeScript sources (tests, tsx), false from the compiled dist/. */
export const RUNNING_FROM_SOURCE = import.meta.url.endsWith('.ts');

import { describe, expect, it } from '@jest/globals';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { runCli } from '../support/cli.js';
import { REPO_ROOT } from '../support/pipeline.js';

const EXAMPLES = join(REPO_ROOT, 'examples');

/** Every file under a folder, recursively. */
function filesUnder(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) =>
    entry.isDirectory() ? filesUnder(join(dir, entry.name)) : [join(dir, entry.name)]);
}

describe('the example configs the docs run', () => {
  const docs = ['README.md', ...readdirSync(join(REPO_ROOT, 'docs', 'connectors')).map((f) => join('docs', 'connectors', f))];
  const named = [...new Set(docs.flatMap((doc) => [...readFileSync(join(REPO_ROOT, doc), 'utf8').matchAll(/examples\/([\w.-]+\.json)/g)].map((m) => m[1])))];

  it('are in examples/', () => {
    expect(named.length).toBeGreaterThanOrEqual(3);
    for (const name of named) expect(readdirSync(EXAMPLES)).toContain(name);
  });

  it.each(readdirSync(EXAMPLES).filter((f) => f.endsWith('.json')))('%s validates', async (name) => {
    const result = await runCli(['validate', `--config=${join(EXAMPLES, name)}`]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
  });
});

describe('the repository alone', () => {
  it('holds every file its tests read: no test reaches outside it', () => {
    const offenders = filesUnder(join(REPO_ROOT, 'test'))
      .filter((file) => file.endsWith('.ts'))
      .filter((file) => /'\.\.', 'shared'|\/work\/shared|\.\.\/shared\//.test(readFileSync(file, 'utf8')));
    expect(offenders).toEqual([]);
  });
});

/**
 * `npm run quickstart` and `npm test` build only when dist/ is missing or older than a source
 * file: `npm ci` has just built it (the `prepare` script), and a second build costs half a minute
 * for nothing. Tests that run the built CLI need it current.
 */
import { execSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..');
const BUILT = join(ROOT, 'dist', 'src', 'cli', 'bin.js');

function newestUnder(dir) {
  return readdirSync(dir, { withFileTypes: true }).reduce((newest, entry) => {
    const path = join(dir, entry.name);
    return Math.max(newest, entry.isDirectory() ? newestUnder(path) : statSync(path).mtimeMs);
  }, 0);
}

const sources = Math.max(newestUnder(join(ROOT, 'src')), newestUnder(join(ROOT, 'workers')), newestUnder(join(ROOT, 'ui')), statSync(join(ROOT, 'package.json')).mtimeMs);
if (existsSync(BUILT) && statSync(BUILT).mtimeMs >= sources) {
  console.log('dist/ is up to date: not building again');
} else {
  execSync('npm run build', { cwd: ROOT, stdio: 'inherit' });
}

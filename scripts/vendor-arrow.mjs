/**
 * Runs after tsc (`npm run build`): bundles apache-arrow into dist/vendor/apache-arrow.js and
 * points the compiled code at it. Loading Arrow's ESM build (~250 files) costs each thread
 * ~0.3 CPU s; the single file ~0.07 s (measured on the project's machine). Every thread of a
 * run loads it, so the saving is paid back on every run. Sources and tests (tsx) keep using the
 * package as it is.
 */
import { readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const DIST = join(ROOT, 'dist');
const VENDOR = join(DIST, 'vendor', 'apache-arrow.js');

buildSync({
  stdin: { contents: readFileSync(join(ROOT, 'src', 'arrow', 'internals.ts'), 'utf8') + "\nexport * from 'apache-arrow';\n", resolveDir: join(ROOT, 'src', 'arrow'), loader: 'ts' },
  bundle: true,
  format: 'esm',
  platform: 'node',
  target: 'node20',
  outfile: VENDOR,
  logLevel: 'warning',
});

function* jsFiles(folder) {
  for (const name of readdirSync(folder)) {
    const path = join(folder, name);
    if (statSync(path).isDirectory()) yield* jsFiles(path);
    else if (name.endsWith('.js') && path !== VENDOR && path !== INTERNALS) yield path;
  }
}

// The compiled internals module re-exports what the bundle carries under the same names.
const INTERNALS = join(DIST, 'src', 'arrow', 'internals.js');
writeFileSync(INTERNALS, "export { VectorAssembler, RecordBatchHeader } from '../../vendor/apache-arrow.js';\n");

const SPECIFIER = /(from\s*|import\s*\(\s*|import\s+)(['"])apache-arrow(?:\/[^'"]*)?\2/g;
let rewritten = 0;
for (const file of jsFiles(DIST)) {
  const text = readFileSync(file, 'utf8');
  let target = relative(dirname(file), VENDOR).split('\\').join('/');
  if (!target.startsWith('.')) target = `./${target}`;
  const next = text.replace(SPECIFIER, (_, head, quote) => `${head}${quote}${target}${quote}`);
  if (next !== text) {
    writeFileSync(file, next);
    rewritten++;
  }
}
console.log(`vendor-arrow: ${relative(ROOT, VENDOR)} bundled, ${rewritten} compiled files point at it`);

/**
 * Builds the web UI (`npm run build`): bundles ui/src/main.ts with uPlot into one script and
 * copies the page and the style sheets beside it, into dist/ui (or the folder given as the first
 * argument; the browser tests build their own copy). `fastlane serve` serves that folder itself.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join, relative, resolve } from 'node:path';
import { buildSync } from 'esbuild';

const ROOT = resolve(import.meta.dirname, '..');
const OUT = resolve(process.argv[2] ?? join(ROOT, 'dist', 'ui'));

mkdirSync(OUT, { recursive: true });
buildSync({
  entryPoints: [join(ROOT, 'ui', 'src', 'main.ts')],
  bundle: true,
  format: 'esm',
  platform: 'browser',
  target: ['chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: true,
  outfile: join(OUT, 'app.js'),
  logLevel: 'warning',
});
copyFileSync(join(ROOT, 'ui', 'index.html'), join(OUT, 'index.html'));
copyFileSync(join(ROOT, 'ui', 'style.css'), join(OUT, 'style.css'));
copyFileSync(join(ROOT, 'node_modules', 'uplot', 'dist', 'uPlot.min.css'), join(OUT, 'uplot.css'));
console.log(`build-ui: ${relative(ROOT, OUT) || '.'} written`);

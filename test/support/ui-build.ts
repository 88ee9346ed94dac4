import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const ROOT = resolve(import.meta.dirname, '..', '..');

/** The web UI built by the project's own build script into a temp folder, for a test's server. */
export function buildUiInto(): { dir: string; remove(): void } {
  const dir = mkdtempSync(join(tmpdir(), 'fastlane-ui-'));
  execFileSync(process.execPath, [join(ROOT, 'scripts', 'build-ui.mjs'), dir], { stdio: 'pipe', timeout: 60_000 });
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}

import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type BrowserContext, type Page } from 'playwright-core';

export const CHROMIUM = '/usr/bin/chromium';
/** Where browser tests leave their screenshots for review (tmp/ is not committed). */
export const SCREENSHOTS = resolve(import.meta.dirname, '..', '..', 'tmp', 'ui');

export interface TestBrowser {
  readonly context: BrowserContext;
  close(): Promise<void>;
}

/** Debian's headless Chromium on a fresh profile of its own, removed when closed. */
export async function launchBrowser(): Promise<TestBrowser> {
  const profile = mkdtempSync(join(tmpdir(), 'fastlane-chromium-'));
  mkdirSync(SCREENSHOTS, { recursive: true });
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking'],
    viewport: { width: 1280, height: 900 },
    timeout: 60_000,
  });
  context.setDefaultTimeout(20_000);
  return {
    context,
    async close() {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}

/** What a page did wrong: script errors, console errors, requests to anywhere but `origin`. */
export function watch(page: Page, origin: string): { errors: string[]; foreign: string[]; api: string[] } {
  const seen = { errors: [] as string[], foreign: [] as string[], api: [] as string[] };
  page.on('pageerror', (error) => seen.errors.push(`pageerror: ${error.message}`));
  page.on('console', (message) => { if (message.type() === 'error') seen.errors.push(`console: ${message.text()}`); });
  page.on('request', (request) => {
    const url = request.url();
    if (!url.startsWith(`${origin}/`) && !url.startsWith('data:')) seen.foreign.push(url);
    if (url.startsWith(`${origin}/api/`)) seen.api.push(url.slice(origin.length));
  });
  return seen;
}

/**
 * The web UI in real headless Chromium against a real server and database, seeded through the
 * API. Every page is opened, checked, and saved as a screenshot under tmp/ui/ for review.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { FastifyInstance } from 'fastify';
import type { Page } from 'playwright-core';
import { buildServer } from '../../src/server/build.js';
import { launchBrowser, SCREENSHOTS, watch, type TestBrowser } from '../support/browser.js';
import { buildUiInto } from '../support/ui-build.js';
import { queryDatabase } from './database.js';
import { PIPELINE, startTestServer, type TestServer } from './app.js';

const SHOP = PIPELINE.pipeline_id;
const CRM = 'crm.users.postgres.parquet';
const OPS = 'ops.events.mysql.bigquery';
/** A pipeline id a path would misread without encoding: a slash and a double dot. */
const ODD = 'odd/id..x.file.file';
const TOKEN = 'ui-test-token';

let server: TestServer;
let origin: string;
let ui: ReturnType<typeof buildUiInto>;
let browser: TestBrowser;
const runs: Record<string, number> = {};

beforeAll(async () => {
  ui = buildUiInto();
  server = await startTestServer({ uiDir: ui.dir });
  origin = await server.app.listen({ host: '127.0.0.1', port: 0 });
  browser = await launchBrowser();
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.close();
  ui?.remove();
}, 60_000);

async function api(method: 'POST' | 'PUT', url: string, body: unknown): Promise<Record<string, unknown>> {
  const res = await server.call(method, url, body);
  if (res.status !== 200) throw new Error(`${method} ${url} answered ${res.status}: ${JSON.stringify(res.body)}`);
  return res.body;
}

async function run(pipelineId: string, fields: Record<string, unknown>): Promise<number> {
  return (await api('POST', '/api/pipeline/run', { pipeline_id: pipelineId, ...fields })).id as number;
}

async function points(runId: number, n: number, from = 0): Promise<void> {
  for (let i = from; i < from + n; i++) {
    await api('POST', '/api/pipeline/run/rps', { pipeline_run_id: runId, rps: 1000 + i * 10 });
    await api('POST', '/api/pipeline/run/memory_usage', { pipeline_run_id: runId, memory_usage: 120 + i });
    await api('POST', '/api/pipeline/run/queue_depth', { pipeline_run_id: runId, transform_queue: i, target_queue: 2 * i, in_flight: 1 });
    await api('POST', '/api/pipeline/run/rows_loaded', { pipeline_run_id: runId, rows_loaded: (i + 1) * 100 });
  }
}

async function seed(): Promise<void> {
  await api('POST', '/api/pipeline', PIPELINE);
  await api('POST', '/api/pipeline', { pipeline_id: CRM, source_type: 'postgres', target_type: 'parquet', pipeline_type: 'FULL_TABLE', config: { source: { postgres: { url: 'postgres://app:s3cret@db/crm' } } } });
  await api('POST', '/api/pipeline', { pipeline_id: OPS, source_type: 'mysql', target_type: 'bigquery', pipeline_type: 'INCREMENTAL' });
  await api('POST', '/api/pipeline', { pipeline_id: ODD, source_type: 'file', target_type: 'file', pipeline_type: 'FULL_TABLE' });
  runs.completed = await run(SHOP, { status: 'completed', started: '2026-01-01T00:00:00Z', finished: '2026-01-01T00:10:00Z', rows_loaded: 1500, start_offset: 0, end_offset: 1500 });
  await points(runs.completed, 2);
  runs.failed = await run(SHOP, { status: 'failed', started: '2026-01-02T00:00:00Z', finished: '2026-01-02T00:01:00Z', rows_loaded: 20, start_offset: 1500, end_offset: 1520 });
  runs.running = await run(SHOP, { status: 'running', started: new Date(Date.now() - 60_000).toISOString(), start_offset: 1520 });
  await points(runs.running, 3);
  await api('POST', '/api/pipeline/run/logs', {
    pipeline_run_id: runs.running,
    logs: [
      { level: 'info', message: 'reading shop.orders from offset 1520' },
      { level: 'warn', message: 'slow batch: 2.1 s' },
      { level: 'error', message: 'target refused a batch: timeout' },
      { level: 'info', message: 'retrying the batch' },
    ],
  });
  runs.crm = await run(CRM, { status: 'completed', started: '2026-01-03T00:00:00Z', finished: '2026-01-03T00:00:30Z', rows_loaded: 42 });
  await points(runs.crm, 2);
  runs.ops = await run(OPS, { status: 'failed', started: '2026-01-04T00:00:00Z', finished: '2026-01-04T00:00:05Z' });
  runs.stale = await run(ODD, { status: 'running', started: '2026-01-05T00:00:00Z' });
  await points(runs.stale, 1);
  // The one thing the API cannot do: age a run, as if its process had died an hour ago.
  await queryDatabase(server.db.url, "UPDATE pipeline_run SET updated_at = now() - interval '1 hour' WHERE id = $1", [runs.stale]);
  for (const table of ['pipeline_rps', 'pipeline_memory_usage', 'pipeline_queue_depth', 'pipeline_rows_loaded']) {
    await queryDatabase(server.db.url, `UPDATE ${table} SET created_at = now() - interval '1 hour' WHERE pipeline_run_id = $1`, [runs.stale]);
  }
}

interface Opened {
  readonly page: Page;
  readonly seen: ReturnType<typeof watch>;
}

const opened: Opened[] = [];

async function open(path: string, viewport = { width: 1280, height: 900 }): Promise<Opened> {
  const page = await browser.context.newPage();
  await page.setViewportSize(viewport);
  const seen = watch(page, origin);
  opened.push({ page, seen });
  await page.goto(`${origin}${path}`);
  await ready(page);
  return { page, seen };
}

async function ready(page: Page): Promise<void> {
  await page.waitForSelector('main[data-ready]', { state: 'attached' });
}

async function shot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/** Waits (at most 20 s) until `selector` matches exactly `n` elements; the page's CSP forbids evaluating strings. */
async function waitForCount(page: Page, selector: string, n: number): Promise<void> {
  const deadline = Date.now() + 20_000;
  for (let seen = await page.locator(selector).count(); seen !== n; seen = await page.locator(selector).count()) {
    if (Date.now() > deadline) throw new Error(`${selector}: ${seen} elements, expected ${n}`);
    await page.waitForTimeout(50);
  }
}

async function texts(page: Page, selector: string): Promise<string[]> {
  return page.locator(selector).allInnerTexts();
}

async function attributes(page: Page, selector: string, name: string): Promise<(string | null)[]> {
  return page.locator(selector).evaluateAll((nodes, attr) => nodes.map((n) => n.getAttribute(attr)), name);
}

async function chartPoints(page: Page): Promise<Record<string, number>> {
  return page.locator('figure[data-chart]').evaluateAll((nodes) => Object.fromEntries(nodes.map((n) => [n.getAttribute('data-chart'), Number(n.getAttribute('data-points'))])));
}

/** Each page closed by the test that opened it: no script error, no request off this server. */
async function done({ page, seen }: Opened, allowed: RegExp[] = []): Promise<void> {
  await page.close();
  expect(seen.errors.filter((e) => !allowed.some((a) => a.test(e)))).toEqual([]);
  expect(seen.foreign).toEqual([]);
}

describe('the monitoring web UI in Chromium', () => {
  it('shows a new database\'s empty state, saying how to start a first run', async () => {
    const view = await open('/');
    const empty = view.page.locator('[data-empty]');
    expect(await empty.innerText()).toContain('No pipelines yet');
    expect(await empty.innerText()).toContain(`fastlane run --config=pipeline.json --api=${origin}`);
    await shot(view.page, 'empty');
    await done(view);
    await seed();
  }, 120_000);

  it('lists the pipelines with their newest run, and filters them by status and mode', async () => {
    const view = await open('/');
    const { page } = view;
    expect(await attributes(page, 'tr[data-pipeline]', 'data-pipeline')).toEqual([CRM, ODD, OPS, SHOP]);
    const status = (id: string) => page.locator(`tr[data-pipeline="${id}"] [data-status]`).innerText();
    expect([await status(CRM), await status(ODD), await status(OPS), await status(SHOP)]).toEqual(['completed', 'stale', 'failed', 'running']);
    expect(await texts(page, `tr[data-pipeline="${SHOP}"] td`)).toEqual(expect.arrayContaining(['mysql → s3', 'INCREMENTAL', '300']));
    expect(await texts(page, `tr[data-pipeline="${CRM}"] td`)).toEqual(expect.arrayContaining(['postgres → parquet', 'FULL_TABLE', '42']));
    await shot(page, 'pipelines');

    await page.selectOption('select[name=status]', 'failed');
    await ready(page);
    expect(page.url()).toBe(`${origin}/?status=failed`);
    expect(await attributes(page, 'tr[data-pipeline]', 'data-pipeline')).toEqual([OPS]);
    await page.selectOption('select[name=status]', '');
    await ready(page);
    await page.selectOption('select[name=mode]', 'FULL_TABLE');
    await ready(page);
    expect(page.url()).toBe(`${origin}/?mode=FULL_TABLE`);
    expect(await attributes(page, 'tr[data-pipeline]', 'data-pipeline')).toEqual([CRM, ODD]);
    await page.selectOption('select[name=status]', 'exited');
    await ready(page);
    expect(await page.locator('.list').innerText()).toContain('No pipeline matches these filters');
    await done(view);
  }, 120_000);

  it('goes from the list to a pipeline, to its run and its logs by clicking, and back', async () => {
    const view = await open('/');
    const { page } = view;
    await page.click(`a:text-is("${SHOP}")`);
    await ready(page);
    expect(page.url()).toBe(`${origin}/pipelines/shop%2Eorders%2Emysql%2Es3`);
    expect(await attributes(page, 'tr[data-run]', 'data-run')).toEqual([runs.running, runs.failed, runs.completed].map(String));
    expect(await texts(page, `tr[data-run="${runs.completed}"] td`)).toEqual([`#${runs.completed}`, 'completed', '2026-01-01 00:00:00 UTC', '10 min 0 s', '1,500', '0', '1500']);
    expect(await texts(page, `tr[data-run="${runs.running}"] td`)).toEqual(expect.arrayContaining(['running', '300', '1520']));
    const config = await page.locator('details.config pre').textContent();
    expect(config).toContain('"password": "********"');
    expect(await page.content()).not.toContain('hunter2');
    await shot(page, 'pipeline');

    await page.click(`a:text-is("#${runs.running}")`);
    await ready(page);
    expect(page.url()).toBe(`${origin}/runs/${runs.running}`);
    expect(await page.locator('.logs li').count()).toBe(4);
    await page.selectOption('select[name=level]', 'error');
    await waitForCount(page, '.logs li', 1);
    expect(await texts(page, '.logs .message')).toEqual(['target refused a batch: timeout']);
    expect(page.url()).toBe(`${origin}/runs/${runs.running}?level=error`);

    await page.goBack();
    await ready(page);
    expect(page.url()).toBe(`${origin}/pipelines/shop%2Eorders%2Emysql%2Es3`);
    expect(await page.locator('tr[data-run]').count()).toBe(3);
    await page.goBack();
    await ready(page);
    expect(page.url()).toBe(`${origin}/`);
    expect(await page.locator('tr[data-pipeline]').count()).toBe(4);
    await done(view);
  }, 120_000);

  it('charts every series of a run with its points, and shows its offsets, logs and masked config', async () => {
    const view = await open(`/runs/${runs.completed}`);
    const { page } = view;
    expect(await chartPoints(page)).toEqual({ rps: 2, rows_loaded: 2, memory_usage: 2, queue_depth: 2 });
    for (const chart of ['rps', 'rows_loaded', 'memory_usage', 'queue_depth']) expect(await page.locator(`figure[data-chart=${chart}] canvas`).count()).toBe(1);
    const summary = await page.locator('.summary').innerText();
    expect(summary).toMatch(/Status\s+completed/);
    expect(summary).toMatch(/Rows loaded\s+1,500/);
    expect(summary).toMatch(/Start offset\s+0/);
    expect(summary).toMatch(/End offset\s+1500/);
    expect(await page.locator('.summary').getAttribute('data-live')).toBe('false');
    expect(await page.locator('.log-view').innerText()).toContain('No log lines.');
    await shot(page, 'run-completed');
    await done(view);
  }, 120_000);

  it('filters a run\'s log lines by level and by text, kept in the URL', async () => {
    const view = await open(`/runs/${runs.running}?level=info`);
    const { page } = view;
    expect(await texts(page, '.logs .message')).toEqual(['reading shop.orders from offset 1520', 'retrying the batch']);
    await page.selectOption('select[name=level]', '');
    await waitForCount(page, '.logs li', 4);
    await page.fill('input[name=q]', 'BATCH');
    await waitForCount(page, '.logs li', 3);
    expect(await attributes(page, '.logs li', 'data-level')).toEqual(['warn', 'error', 'info']);
    expect(page.url()).toBe(`${origin}/runs/${runs.running}?q=BATCH`);
    await page.selectOption('select[name=level]', 'warn');
    await waitForCount(page, '.logs li', 1);
    expect(await texts(page, '.logs .message')).toEqual(['slow batch: 2.1 s']);
    await page.fill('input[name=q]', 'nothing like this');
    await page.waitForSelector('.logs-footer :text("No line matches.")');
    await done(view);
  }, 120_000);

  it('refreshes a running run by itself when points arrive; a finished or stale run does not poll', async () => {
    const live = await open(`/runs/${runs.running}`);
    expect(await chartPoints(live.page)).toEqual({ rps: 3, rows_loaded: 3, memory_usage: 3, queue_depth: 3 });
    expect(await live.page.locator('.summary').getAttribute('data-live')).toBe('true');
    expect(await live.page.locator('[data-rows-loaded]').innerText()).toBe('300');
    await shot(live.page, 'run-running');
    await points(runs.running, 1, 3);
    // A refresh may fall between two of the four posts: wait for each chart's fourth point.
    for (const chart of ['rps', 'memory_usage', 'queue_depth', 'rows_loaded']) {
      await live.page.waitForSelector(`figure[data-chart=${chart}][data-points="4"]`, { state: 'attached', timeout: 30_000 });
    }
    expect(await chartPoints(live.page)).toEqual({ rps: 4, rows_loaded: 4, memory_usage: 4, queue_depth: 4 });
    expect(await live.page.locator('[data-rows-loaded]').innerText()).toBe('400');
    // The server away for a while: the page says so and goes on once it answers again.
    await live.page.route('**/api/**', (route) => route.abort());
    await live.page.waitForSelector('.offline', { timeout: 30_000 });
    await live.page.unroute('**/api/**');
    await points(runs.running, 1, 4);
    await live.page.waitForSelector('figure[data-chart=rows_loaded][data-points="5"]', { state: 'attached', timeout: 30_000 });
    await live.page.waitForSelector('.offline', { state: 'detached' });
    await done(live, [/ERR_FAILED/]);

    const stale = await open(`/runs/${runs.stale}`);
    expect(await stale.page.locator('.summary [data-status]').innerText()).toBe('stale');
    expect(await stale.page.locator('.summary').innerText()).toMatch(/no report for (1 h|59 min)/);
    const finished = await open(`/runs/${runs.completed}`);
    const before = [stale.seen.api.length, finished.seen.api.length];
    // Longer than the 5 s refresh interval: a live page would have asked again by now.
    await finished.page.waitForTimeout(6500);
    expect([stale.seen.api.length, finished.seen.api.length]).toEqual(before);
    await shot(stale.page, 'run-stale');
    await done(stale);
    await done(finished);
  }, 180_000);

  it('opens deep links to encoded pipeline ids and to runs directly, and says when nothing is there', async () => {
    const odd = await open(`/pipelines/${encodeURIComponent(ODD).replace(/\./g, '%2E')}`);
    expect(await odd.page.locator('h1').innerText()).toBe(ODD);
    expect(await attributes(odd.page, 'tr[data-run]', 'data-run')).toEqual([String(runs.stale)]);
    await done(odd);
    const fromList = await open('/?mode=FULL_TABLE');
    await fromList.page.click(`a:text-is("${ODD}")`);
    await ready(fromList.page);
    expect(await fromList.page.locator('h1').innerText()).toBe(ODD);
    await done(fromList);
    const unknown = await open('/pipelines/no%2Esuch%2Epipeline');
    expect(await unknown.page.locator('[role=alert]').innerText()).toBe("No pipeline 'no.such.pipeline' on this server.");
    await done(unknown);
    const noRun = await open('/runs/999999');
    expect(await noRun.page.locator('[role=alert]').innerText()).toBe('No run 999999 on this server.');
    await done(noRun);
  }, 120_000);

  it('asks for the token when reads need one, says plainly when it is wrong, and keeps it while the tab is open', async () => {
    const guarded: FastifyInstance = await buildServer({ databaseUrl: server.db.url, token: TOKEN, authenticateReads: true, uiDir: ui.dir });
    const guardedOrigin = await guarded.listen({ host: '127.0.0.1', port: 0 });
    try {
      const page = await browser.context.newPage();
      const seen = watch(page, guardedOrigin);
      const view = { page, seen };
      await page.goto(`${guardedOrigin}/pipelines/shop%2Eorders%2Emysql%2Es3`);
      await ready(page);
      expect(await page.locator('[data-token-prompt]').innerText()).toContain('This server needs its API token');
      await shot(page, 'token-prompt');
      await page.fill('input[name=token]', 'not-the-token');
      await page.click('button[type=submit]');
      await ready(page);
      await page.waitForSelector('[data-token-prompt] [role=alert]');
      expect(await page.locator('[role=alert]').innerText()).toContain('The server refused this token');
      await shot(page, 'token-refused');
      await page.fill('input[name=token]', TOKEN);
      await page.click('button[type=submit]');
      await page.waitForSelector('tr[data-run]');
      expect(await page.locator('tr[data-run]').count()).toBe(3);
      await page.reload();
      await ready(page);
      expect(await page.locator('tr[data-run]').count()).toBe(3);
      await page.click(`a:text-is("#${runs.completed}")`);
      await ready(page);
      expect(await chartPoints(page)).toEqual({ rps: 2, rows_loaded: 2, memory_usage: 2, queue_depth: 2 });
      // Only the refused calls (the browser reports each 401 in its console) went without the right token.
      await done(view, [/status of 401/]);
    } finally {
      await guarded.close();
    }
  }, 120_000);

  it('fits a 390 px wide phone screen without sideways scrolling', async () => {
    const phone = { width: 390, height: 844 };
    for (const [name, path] of [['phone-pipelines', '/'], ['phone-pipeline', `/pipelines/${encodeURIComponent(SHOP)}`], ['phone-run', `/runs/${runs.running}`], ['phone-stale-pipeline', `/pipelines/${encodeURIComponent(ODD).replace(/\./g, '%2E')}`]] as const) {
      const view = await open(path, phone);
      const widths = await view.page.evaluate<Record<string, number>>('({ scroll: document.documentElement.scrollWidth, client: document.documentElement.clientWidth, body: document.body.scrollWidth })');
      expect({ name, ...widths }).toEqual({ name, scroll: 390, client: 390, body: 390 });
      await shot(view.page, name);
      await done(view);
    }
  }, 120_000);
});

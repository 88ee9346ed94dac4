import { apiGet, type Pipeline } from '../api.js';
import { badge, notice, pageNumber, pager } from '../components.js';
import { h, replace, select } from '../dom.js';
import { ago, count, shownStatus, time } from '../format.js';
import type { Navigate, Page } from '../page.js';
import { pipelineUrl, runUrl, withQuery } from '../urls.js';

const PAGE_SIZE = 100;
const STATUSES: [string, string][] = [['', 'any'], ['running', 'running'], ['completed', 'completed'], ['failed', 'failed'], ['exited', 'exited']];
const MODES: [string, string][] = [['', 'any'], ['INCREMENTAL', 'incremental'], ['FULL_TABLE', 'full table']];

function allowed(value: string | null, options: [string, string][]): string {
  return options.some(([v]) => v === value) ? (value as string) : '';
}

function row(p: Pipeline, now: number): HTMLTableRowElement {
  const status = shownStatus(p.pipeline_status, p.last_run_reported_at, now);
  return h('tr', { 'data-pipeline': p.id },
    h('td', { 'data-label': 'Pipeline', class: 'id' }, h('a', { href: pipelineUrl(p.id) }, p.id)),
    h('td', { 'data-label': 'Source → target' }, `${p.source_type} → ${p.target_type}`),
    h('td', { 'data-label': 'Mode' }, p.pipeline_type),
    h('td', { 'data-label': 'Last run' }, p.last_run_id ? h('a', { href: runUrl(p.last_run_id), class: 'badge-link' }, badge(status)) : badge(status)),
    h('td', { 'data-label': 'When', title: time(p.last_run_started) }, p.last_run_started ? ago(p.last_run_started, now) : '—'),
    h('td', { 'data-label': 'Rows loaded', class: 'num' }, count(p.last_run_rows_loaded)));
}

function emptyState(filtered: boolean): HTMLElement {
  if (filtered) return notice('info', 'No pipeline matches these filters.');
  return h('section', { class: 'empty', 'data-empty': '' },
    h('h2', {}, 'No pipelines yet'),
    h('p', {}, 'Pipelines appear here once a run reports to this server. Start a first run with:'),
    h('pre', { class: 'command' }, `fastlane run --config=pipeline.json --api=${location.origin}`),
    h('p', { class: 'muted' }, 'Set FASTLANE_API_TOKEN for the run too when this server was started with a token.'));
}

/** `/`: every pipeline with its newest run, filtered by that run's status and by replication mode. */
export async function pipelinesPage(query: URLSearchParams, navigate: Navigate): Promise<Page> {
  const status = allowed(query.get('status'), STATUSES);
  const mode = allowed(query.get('mode'), MODES);
  const page = pageNumber(query);
  const href = (values: { status?: string; mode?: string; page?: number }) =>
    withQuery('/', { status: values.status ?? status, mode: values.mode ?? mode, page: values.page || undefined });
  const list = h('div', { class: 'list' });
  const view: Page = {
    title: 'Pipelines',
    live: false,
    element: h('section', { class: 'page' },
      h('h1', {}, 'Pipelines'),
      h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() },
        select('status', 'Last run', STATUSES, status, (v) => navigate(href({ status: v, page: 0 }), true)),
        select('mode', 'Mode', MODES, mode, (v) => navigate(href({ mode: v, page: 0 }), true))),
      list),
    async refresh() {
      const rows = await apiGet<Pipeline[]>('/api/pipelines', {
        pipeline_status: status || undefined, pipeline_type: mode || undefined, limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE,
      });
      const shown = rows.slice(0, PAGE_SIZE);
      const now = Date.now();
      view.live = shown.some((p) => shownStatus(p.pipeline_status, p.last_run_reported_at, now) === 'running');
      if (shown.length === 0) {
        replace(list, emptyState(Boolean(status || mode) || page > 0));
        return;
      }
      replace(list,
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['Pipeline', 'Source → target', 'Mode', 'Last run', 'When', 'Rows loaded'].map((t) => h('th', {}, t)))),
          h('tbody', {}, shown.map((p) => row(p, now)))),
        pager(page, rows.length > PAGE_SIZE, (n) => href({ page: n }), ['← Previous', 'Next →']));
    },
  };
  return view;
}

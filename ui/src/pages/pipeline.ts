import { apiGet, type Pipeline, type Run } from '../api.js';
import { badge, facts, notice, pageNumber, pager } from '../components.js';
import { h, replace } from '../dom.js';
import { count, offset, runDuration, shownStatus, time } from '../format.js';
import type { Page } from '../page.js';
import { pipelineUrl, runUrl, withQuery } from '../urls.js';

const PAGE_SIZE = 50;

function row(run: Run, now: number): HTMLTableRowElement {
  const status = shownStatus(run.status, run.last_reported_at, now);
  return h('tr', { 'data-run': run.id },
    h('td', { 'data-label': 'Run' }, h('a', { href: runUrl(run.id) }, `#${run.id}`)),
    h('td', { 'data-label': 'Status' }, badge(status)),
    h('td', { 'data-label': 'Started' }, time(run.started)),
    h('td', { 'data-label': 'Duration' }, runDuration(run.started, run.finished, now)),
    h('td', { 'data-label': 'Rows loaded', class: 'num' }, count(run.rows_loaded_so_far ?? run.rows_loaded)),
    h('td', { 'data-label': 'Start offset', class: 'id' }, offset(run.start_offset)),
    h('td', { 'data-label': 'End offset', class: 'id' }, offset(run.end_offset)));
}

export function configBlock(config: Record<string, unknown> | undefined): HTMLElement {
  return h('details', { class: 'config' },
    h('summary', {}, 'Config (secrets masked by the server)'),
    h('pre', {}, JSON.stringify(config ?? {}, null, 2)));
}

/** `/pipelines/<id>`: one pipeline and its runs, newest first, a page at a time. */
export async function pipelinePage(id: string, query: URLSearchParams): Promise<Page> {
  const page = pageNumber(query);
  const pipeline = await apiGet<Pipeline | Record<string, never>>('/api/pipeline', { pipeline_id: id });
  if (!('id' in pipeline)) {
    const element = h('section', { class: 'page' }, notice('error', `No pipeline '${id}' on this server.`), h('p', {}, h('a', { href: '/' }, '← All pipelines')));
    return { title: 'Unknown pipeline', live: false, element, refresh: async () => undefined };
  }
  const list = h('div', { class: 'list' });
  const view: Page = {
    title: id,
    live: false,
    element: h('section', { class: 'page' },
      h('nav', { class: 'crumbs' }, h('a', { href: '/' }, 'Pipelines'), ' › '),
      h('h1', {}, h('span', { class: 'id' }, id)),
      facts([
        ['Source → target', `${pipeline.source_type} → ${pipeline.target_type}`],
        ['Mode', pipeline.pipeline_type],
        ['Created', time(pipeline.created_at)],
      ]),
      h('h2', {}, 'Runs'),
      list,
      configBlock(pipeline.config)),
    async refresh() {
      const runs = await apiGet<Run[]>('/api/pipeline/runs', { pipeline_id: id, limit: PAGE_SIZE + 1, offset: page * PAGE_SIZE });
      const shown = runs.slice(0, PAGE_SIZE);
      const now = Date.now();
      view.live = shown.some((r) => shownStatus(r.status, r.last_reported_at, now) === 'running');
      if (shown.length === 0) {
        replace(list, notice('info', page > 0 ? 'No runs on this page.' : 'This pipeline has no runs yet.'));
        return;
      }
      replace(list,
        h('table', { class: 'table' },
          h('thead', {}, h('tr', {}, ['Run', 'Status', 'Started', 'Duration', 'Rows loaded', 'Start offset', 'End offset'].map((t) => h('th', {}, t)))),
          h('tbody', {}, shown.map((r) => row(r, now)))),
        pager(page, runs.length > PAGE_SIZE, (n) => withQuery(pipelineUrl(id), { page: n || undefined }), ['← Newer', 'Older →']));
    },
  };
  return view;
}

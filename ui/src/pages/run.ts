import { apiGet, type LogLine, type Pipeline, type Point, type Run } from '../api.js';
import { CHARTS, RunChart, type ChartSpec } from '../charts.js';
import { badge, facts, notice } from '../components.js';
import { h, replace, select } from '../dom.js';
import { ago, count, offset, runDuration, shownStatus, time } from '../format.js';
import type { Page } from '../page.js';
import { pipelineUrl, runUrl } from '../urls.js';
import { configBlock } from './pipeline.js';

const LOG_PAGE = 500;
const POINT_PAGE = 10_000;
/** A chart draws at most this many pages of points (a 5 s interval fills one page in ~14 h). */
const POINT_PAGES = 10;
const LEVELS: [string, string][] = [['', 'all'], ['error', 'error'], ['warn', 'warn'], ['info', 'info']];
const SEARCH_DELAY_MS = 300;

/** Every point of one series since the run was created (points carry the server's clock). */
async function loadPoints(spec: ChartSpec, run: Run): Promise<Point[]> {
  const since = new Date(Math.min(Date.parse(run.created_at), run.started ? Date.parse(run.started) : Infinity) - 60_000).toISOString();
  const points: Point[] = [];
  for (let page = 0; page < POINT_PAGES; page++) {
    const batch = await apiGet<Point[]>(spec.path, { pipeline_run_id: run.id, start_date: since, limit: POINT_PAGE, offset: page * POINT_PAGE });
    points.push(...batch);
    if (batch.length < POINT_PAGE) break;
  }
  return points;
}

/** The newest of the run's own update and its newest point of any series. */
function lastReported(run: Run, series: Point[][]): string {
  let newest = Date.parse(run.updated_at);
  for (const points of series) if (points.length > 0) newest = Math.max(newest, Date.parse(points[points.length - 1].created_at));
  return new Date(newest).toISOString();
}

function logLine(line: LogLine): HTMLLIElement {
  const level = line.level ?? '';
  return h('li', { class: `log log-${level.replace(/[^a-z]/g, '')}`, 'data-level': level },
    h('time', {}, line.timestamp ? line.timestamp.replace('T', ' ').replace('Z', '') : ''),
    h('span', { class: 'level' }, level || '—'),
    h('span', { class: 'message' }, line.message));
}

/** The log lines of a run: level filter, text search (both in the URL) and a page at a time. */
class LogView {
  readonly element: HTMLElement;
  private readonly list = h('ol', { class: 'logs' });
  private readonly footer = h('div', { class: 'logs-footer' });
  private level: string;
  private search: string;
  private shown = LOG_PAGE;
  private timer: number | undefined;
  private generation = 0;

  constructor(private readonly runId: number, query: URLSearchParams) {
    this.level = LEVELS.some(([v]) => v === query.get('level')) ? (query.get('level') as string) : '';
    this.search = (query.get('q') ?? '').slice(0, 256);
    const input = h('input', { type: 'search', name: 'q', value: this.search, placeholder: 'Search the lines', 'aria-label': 'Search the log lines', maxlength: 256 });
    input.addEventListener('input', () => {
      window.clearTimeout(this.timer);
      this.timer = window.setTimeout(() => this.change(this.level, input.value.trim()), SEARCH_DELAY_MS);
    });
    this.element = h('section', { class: 'log-view', id: 'logs' },
      h('h2', {}, 'Logs'),
      h('form', { class: 'filters', onsubmit: (e: Event) => e.preventDefault() },
        select('level', 'Level', LEVELS, this.level, (v) => this.change(v, this.search)),
        h('label', { class: 'field grow' }, h('span', {}, 'Search'), input)),
      this.list, this.footer);
  }

  private change(level: string, search: string): void {
    if (level === this.level && search === this.search) return;
    this.level = level;
    this.search = search;
    this.shown = LOG_PAGE;
    const query = new URLSearchParams(location.search);
    for (const [key, value] of [['level', level], ['q', search]]) if (value) query.set(key, value); else query.delete(key);
    history.replaceState(history.state, '', runUrl(this.runId, query));
    void this.load().catch((error: Error) => replace(this.footer, notice('error', error.message)));
  }

  async load(): Promise<void> {
    const generation = ++this.generation;
    const answer = await apiGet<{ source: string; logs: LogLine[] }>('/api/pipeline/run/logs', {
      pipeline_run_id: this.runId, level: this.level || undefined, search: this.search || undefined, limit: this.shown, offset: 0,
    });
    if (generation !== this.generation) return;
    const filtered = Boolean(this.level || this.search);
    replace(this.list, answer.logs.map(logLine));
    this.element.setAttribute('data-lines', String(answer.logs.length));
    const more = answer.logs.length >= this.shown
      ? h('button', { type: 'button', onclick: () => { this.shown += LOG_PAGE; void this.load(); } }, 'Load more lines')
      : null;
    const none = answer.logs.length === 0 ? h('p', { class: 'muted' }, filtered ? 'No line matches.' : 'No log lines.') : null;
    const source = answer.source === 'cloudwatch' ? h('p', { class: 'muted' }, 'Read from CloudWatch Logs (those lines carry no level).') : null;
    replace(this.footer, none, more, source);
  }

  dispose(): void {
    window.clearTimeout(this.timer);
  }
}

/** `/runs/<id>`: a run's summary, charts, log lines and config; refreshes itself while it runs. */
export async function runPage(id: number, query: URLSearchParams): Promise<Page> {
  const first = await apiGet<Run | Record<string, never>>('/api/pipeline/run', { pipeline_run_id: id });
  if (!('id' in first)) {
    const element = h('section', { class: 'page' }, notice('error', `No run ${id} on this server.`), h('p', {}, h('a', { href: '/' }, '← All pipelines')));
    return { title: 'Unknown run', live: false, element, refresh: async () => undefined };
  }
  const pipeline = await apiGet<Pipeline | Record<string, never>>('/api/pipeline', { pipeline_id: first.pipeline_id });
  const charts = CHARTS.map((spec) => new RunChart(spec));
  const logs = new LogView(id, query);
  const summary = h('div', { class: 'summary' });
  const onResize = () => charts.forEach((c) => c.resize());
  window.addEventListener('resize', onResize);
  let run = first as Run;
  const view: Page = {
    title: `Run ${id}`,
    live: false,
    element: h('section', { class: 'page' },
      h('nav', { class: 'crumbs' }, h('a', { href: '/' }, 'Pipelines'), ' › ', h('a', { href: pipelineUrl(first.pipeline_id), class: 'id' }, first.pipeline_id), ' ›'),
      h('h1', {}, `Run #${id}`),
      summary,
      h('div', { class: 'charts' }, charts.map((c) => c.element)),
      logs.element,
      'id' in pipeline ? configBlock(pipeline.config) : null),
    async refresh() {
      if (view.live) run = await apiGet<Run>('/api/pipeline/run', { pipeline_run_id: id });
      const series = await Promise.all(CHARTS.map((spec) => loadPoints(spec, run)));
      const reported = lastReported(run, series);
      const now = Date.now();
      const status = shownStatus(run.status, reported, now);
      view.live = status === 'running';
      const progress = series[CHARTS.findIndex((c) => c.key === 'rows_loaded')];
      const rows = run.rows_loaded ?? (progress.length > 0 ? Number(progress[progress.length - 1].rows_loaded) : null);
      replace(summary, facts([
        ['Status', [badge(status), status === 'stale' ? h('span', { class: 'muted' }, ` no report for ${ago(reported, now).replace(' ago', '')}`) : null]],
        ['Started', time(run.started)],
        ['Finished', time(run.finished)],
        ['Duration', runDuration(run.started, run.finished, now)],
        ['Rows loaded', h('span', { 'data-rows-loaded': '' }, count(rows))],
        ['Start offset', h('span', { class: 'id' }, offset(run.start_offset))],
        ['End offset', h('span', { class: 'id' }, offset(run.end_offset))],
        ['Last report', [time(reported), ' ', h('span', { class: 'muted' }, `(${ago(reported, now)})`)]],
      ]));
      summary.setAttribute('data-live', String(view.live));
      charts.forEach((chart, i) => chart.update(series[i]));
      await logs.load();
    },
    dispose() {
      window.removeEventListener('resize', onResize);
      charts.forEach((c) => c.destroy());
      logs.dispose();
    },
  };
  return view;
}

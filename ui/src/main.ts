import { ApiError, AuthError, setToken, token } from './api.js';
import { notice } from './components.js';
import { h, replace } from './dom.js';
import type { Page } from './page.js';
import { pipelinePage } from './pages/pipeline.js';
import { pipelinesPage } from './pages/pipelines.js';
import { runPage } from './pages/run.js';
import { tokenPage } from './pages/token.js';
import { parseRoute } from './urls.js';

/** How often a page showing a run in progress reloads it. */
const REFRESH_MS = 5000;

const main = document.getElementById('main') as HTMLElement;
const topNote = document.getElementById('top-note') as HTMLElement;
let current: Page | null = null;
let timer: number | undefined;
/** Bumped on every navigation: an answer for a page left meanwhile is dropped. */
let generation = 0;

function problemPage(error: unknown): Page {
  const message = error instanceof ApiError ? `The server answered ${error.status}: ${error.message}`
    : `The server could not be reached (${(error as Error).message}). The page tries again on reload.`;
  return { title: 'Error', live: false, element: h('section', { class: 'page' }, notice('error', message)), refresh: async () => undefined };
}

function showTokenNote(): void {
  replace(topNote, token() ? h('button', { type: 'button', class: 'link', onclick: () => { setToken(null); void route(); } }, 'Forget token') : null);
}

function build(): Promise<Page> {
  const where = parseRoute(location);
  switch (where.page) {
    case 'pipelines': return pipelinesPage(where.query, navigate);
    case 'pipeline': return pipelinePage(where.id, where.query);
    case 'run': return runPage(where.id, where.query);
    default: return Promise.resolve(problemPage(new ApiError(404, `no page at ${where.path}`)));
  }
}

function mount(page: Page): void {
  current?.dispose?.();
  current = page;
  document.title = `${page.title} · Fastlane`;
  replace(main, page.element);
}

/** Keeps reloading a live page every REFRESH_MS; stops once what it shows has finished or gone stale. */
function schedule(page: Page, mine: number): void {
  window.clearTimeout(timer);
  if (!page.live) return;
  timer = window.setTimeout(() => {
    page.refresh().then(() => {
      if (mine !== generation) return;
      showTokenNote();
      schedule(page, mine);
    }, (error: unknown) => {
      if (mine !== generation) return;
      if (error instanceof AuthError) return fail(error);
      // A server that is briefly away (a restart) must not end the watch: say so, keep trying.
      replace(topNote, h('span', { class: 'offline', role: 'status' }, 'Server not answering: retrying…'));
      schedule(page, mine);
    });
  }, REFRESH_MS);
}

function fail(error: unknown): void {
  window.clearTimeout(timer);
  if (error instanceof AuthError) {
    if (error.hadToken) setToken(null);
    mount(tokenPage(error.hadToken, () => void route()));
    main.setAttribute('data-ready', String(generation));
  } else {
    console.warn('fastlane:', error);
    mount(problemPage(error));
  }
  showTokenNote();
}

async function route(): Promise<void> {
  const mine = ++generation;
  window.clearTimeout(timer);
  main.removeAttribute('data-ready');
  try {
    const page = await build();
    if (mine !== generation) return page.dispose?.();
    mount(page);
    await page.refresh();
    if (mine !== generation) return;
    main.setAttribute('data-ready', String(mine));
    showTokenNote();
    schedule(page, mine);
  } catch (error) {
    if (mine === generation) fail(error);
  }
}

export function navigate(url: string, replaceEntry = false): void {
  if (replaceEntry) history.replaceState(null, '', url);
  else history.pushState(null, '', url);
  void route();
}

/** Links inside the UI change the page without reloading it; the browser's own history does the rest. */
document.addEventListener('click', (event) => {
  const link = (event.target as Element | null)?.closest?.('a');
  if (!link || event.defaultPrevented || event.button !== 0 || event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return;
  const url = new URL(link.href, location.href);
  if (url.origin !== location.origin || link.target || url.pathname.startsWith('/api/') || url.pathname.startsWith('/ui/')) return;
  event.preventDefault();
  if (url.href !== location.href) navigate(url.pathname + url.search);
});
window.addEventListener('popstate', () => void route());
void route();

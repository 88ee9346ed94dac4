import { h, type Child } from './dom.js';

const STATUS_HINT: Record<string, string> = {
  stale: 'marked running, but it has reported nothing for over 5 minutes: its process has probably died',
};

export function badge(status: string): HTMLSpanElement {
  return h('span', { class: `badge badge-${status.replace(/[^a-z]/g, '')}`, title: STATUS_HINT[status], 'data-status': status }, status);
}

/** A definition list of [label, value] pairs. */
export function facts(items: [string, Child | Child[]][]): HTMLDListElement {
  return h('dl', { class: 'facts' }, items.map(([label, value]) => h('div', {}, h('dt', {}, label), h('dd', {}, value))));
}

/** Links to the newer and older page of a list; `href(page)` builds each. */
export function pager(page: number, hasMore: boolean, href: (page: number) => string, labels: [string, string]): HTMLElement | null {
  if (page === 0 && !hasMore) return null;
  return h('nav', { class: 'pager' },
    page > 0 ? h('a', { href: href(page - 1), rel: 'prev' }, labels[0]) : h('span', {}),
    h('span', { class: 'muted' }, `page ${page + 1}`),
    hasMore ? h('a', { href: href(page + 1), rel: 'next' }, labels[1]) : h('span', {}));
}

export function pageNumber(query: URLSearchParams): number {
  const page = Number(query.get('page') ?? '0');
  return Number.isSafeInteger(page) && page > 0 ? page : 0;
}

export function notice(kind: 'error' | 'info', ...children: Child[]): HTMLDivElement {
  return h('div', { class: `notice notice-${kind}`, role: kind === 'error' ? 'alert' : 'status' }, ...children);
}

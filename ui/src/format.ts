/** How values read on screen. Times are shown in UTC, so a time pasted into a ticket means one thing. */

/** A run marked running that has reported nothing for this long has lost its process. */
export const STALE_AFTER_MS = 5 * 60 * 1000;

export function time(iso: string | null | undefined): string {
  if (!iso) return '—';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

export function ago(iso: string | null | undefined, now = Date.now()): string {
  if (!iso) return '';
  const seconds = Math.round((now - Date.parse(iso)) / 1000);
  if (Number.isNaN(seconds)) return '';
  if (seconds < 0) return 'just now';
  return `${duration(seconds * 1000)} ago`;
}

export function duration(ms: number): string {
  if (!Number.isFinite(ms) || ms < 0) return '—';
  const s = Math.floor(ms / 1000);
  if (s < 60) return `${s} s`;
  const m = Math.floor(s / 60);
  if (m < 60) return `${m} min ${s % 60} s`;
  const hours = Math.floor(m / 60);
  if (hours < 48) return `${hours} h ${m % 60} min`;
  return `${Math.floor(hours / 24)} d ${hours % 24} h`;
}

export function runDuration(started: string | null, finished: string | null, now = Date.now()): string {
  if (!started) return '—';
  const end = finished ? Date.parse(finished) : now;
  return duration(end - Date.parse(started)) + (finished ? '' : ' so far');
}

export function count(value: number | null | undefined): string {
  return value === null || value === undefined ? '—' : value.toLocaleString('en-US');
}

export function offset(value: unknown): string {
  return value === null || value === undefined ? '—' : String(value);
}

/** 'stale' for a run marked running whose last report is older than STALE_AFTER_MS. */
export function shownStatus(status: string | null | undefined, lastReported: string | null | undefined, now = Date.now()): string {
  if (!status) return 'no runs';
  if (status === 'running' && lastReported && now - Date.parse(lastReported) > STALE_AFTER_MS) return 'stale';
  return status;
}

export function isLive(status: string): boolean {
  return status === 'running';
}

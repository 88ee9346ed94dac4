/**
 * The UI's own URLs: `/` (pipelines), `/pipelines/<id>`, `/runs/<id>`. Pipeline ids are free text
 * with dots, so a path segment carries them percent-encoded, dots included: a segment such as
 * `a.json` then cannot pass for a file, and `.`/`..` inside an id are not path steps.
 */

export type Route =
  | { readonly page: 'pipelines'; readonly query: URLSearchParams }
  | { readonly page: 'pipeline'; readonly id: string; readonly query: URLSearchParams }
  | { readonly page: 'run'; readonly id: number; readonly query: URLSearchParams }
  | { readonly page: 'missing'; readonly path: string };

export function encodeSegment(text: string): string {
  return encodeURIComponent(text).replace(/\./g, '%2E');
}

export function pipelineUrl(id: string): string {
  return `/pipelines/${encodeSegment(id)}`;
}

export function runUrl(id: number, query?: URLSearchParams): string {
  const q = query?.toString();
  return `/runs/${id}${q ? `?${q}` : ''}`;
}

function decodeSegment(text: string): string | null {
  try {
    return decodeURIComponent(text);
  } catch {
    return null;
  }
}

export function parseRoute(location: { pathname: string; search: string }): Route {
  const query = new URLSearchParams(location.search);
  const path = location.pathname;
  if (path === '/' || path === '') return { page: 'pipelines', query };
  const pipeline = /^\/pipelines\/([^/]+)\/?$/.exec(path);
  const id = pipeline ? decodeSegment(pipeline[1]) : null;
  if (id) return { page: 'pipeline', id, query };
  const run = /^\/runs\/([1-9][0-9]{0,15})\/?$/.exec(path);
  if (run) return { page: 'run', id: Number(run[1]), query };
  return { page: 'missing', path };
}

/** `path` with `query` (empty values dropped). */
export function withQuery(path: string, values: Record<string, string | number | undefined>): string {
  const query = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value !== undefined && value !== '') query.set(key, String(value));
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}

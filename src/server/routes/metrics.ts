import type { FastifyInstance } from 'fastify';

const MB = 1024 * 1024;

/** Running runs with the newest point of each series (the (pipeline_run_id, created_at) indexes find it). */
const RUNNING = `
SELECT r.id, r.pipeline_id, r.status, r.rows_loaded AS run_rows_loaded,
       rl.rows_loaded, rps.rps, mem.memory_usage, q.transform_queue, q.target_queue, q.in_flight
FROM pipeline_run r
LEFT JOIN LATERAL (SELECT rows_loaded FROM pipeline_rows_loaded WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) rl ON true
LEFT JOIN LATERAL (SELECT rps FROM pipeline_rps WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) rps ON true
LEFT JOIN LATERAL (SELECT memory_usage FROM pipeline_memory_usage WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) mem ON true
LEFT JOIN LATERAL (SELECT transform_queue, target_queue, in_flight FROM pipeline_queue_depth WHERE pipeline_run_id = r.id ORDER BY created_at DESC, id DESC LIMIT 1) q ON true
WHERE r.status = 'running'
ORDER BY r.id`;

type Row = Record<string, string | number | null>;

interface Family {
  readonly name: string;
  readonly help: string;
  readonly samples: string[];
}

/** Label values escaped as the text format asks: backslash, quote and newline. */
function labels(values: Record<string, string | number>): string {
  const text = Object.entries(values).map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${text.join(',')}}`;
}

function family(name: string, help: string): Family {
  return { name, help, samples: [] };
}

function add(f: Family, labelValues: Record<string, string | number>, value: unknown): void {
  if (value === null || value === undefined) return;
  f.samples.push(`${f.name}${labels(labelValues)} ${Number(value)}`);
}

export function renderMetrics(rows: Row[]): string {
  const rowsLoaded = family('fastlane_run_rows_loaded', 'Rows loaded so far by a running run.');
  const rate = family('fastlane_run_rows_per_second', 'Rows loaded per second (moving average) of a running run.');
  const rss = family('fastlane_run_rss_bytes', 'Resident set size of a running run\'s process.');
  const queues = family('fastlane_run_queue_depth', 'Batches waiting in or inside a stage of a running run.');
  const status = family('fastlane_run_status', 'One per running run, labelled with its status.');
  for (const r of rows) {
    const run = { pipeline_id: String(r.pipeline_id), pipeline_run_id: String(r.id) };
    add(rowsLoaded, run, r.rows_loaded ?? r.run_rows_loaded ?? 0);
    add(rate, run, r.rps);
    add(rss, run, r.memory_usage === null ? null : Number(r.memory_usage) * MB);
    add(queues, { ...run, queue: 'transform' }, r.transform_queue);
    add(queues, { ...run, queue: 'target' }, r.target_queue);
    add(queues, { ...run, queue: 'in_flight' }, r.in_flight);
    add(status, { ...run, status: String(r.status) }, 1);
  }
  return [rowsLoaded, rate, rss, queues, status]
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} gauge`, ...f.samples].join('\n'))
    .join('\n') + '\n';
}

/** `/metrics` in Prometheus text format (0.0.4): the running runs' newest points. */
export async function metricsRoutes(app: FastifyInstance): Promise<void> {
  app.get('/metrics', async (_request, reply) => {
    const { rows } = await app.pg.query(RUNNING);
    return reply.type('text/plain; version=0.0.4; charset=utf-8').send(renderMetrics(rows));
  });
}

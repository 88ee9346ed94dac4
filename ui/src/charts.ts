import uPlot from 'uplot';
import { h, replace } from './dom.js';
import type { Point } from './api.js';

/** One chart of a run: a metric series and the columns it draws. */
export interface ChartSpec {
  readonly key: string;
  readonly title: string;
  readonly path: string;
  readonly columns: readonly { readonly name: string; readonly label: string; readonly color: string }[];
}

export const CHARTS: readonly ChartSpec[] = [
  { key: 'rps', title: 'Rows per second', path: '/api/pipeline/run/rps', columns: [{ name: 'rps', label: 'rows/s', color: '#2563eb' }] },
  { key: 'rows_loaded', title: 'Rows loaded', path: '/api/pipeline/run/rows_loaded', columns: [{ name: 'rows_loaded', label: 'rows', color: '#059669' }] },
  { key: 'memory_usage', title: 'Memory (RSS, MB)', path: '/api/pipeline/run/memory_usage', columns: [{ name: 'memory_usage', label: 'MB', color: '#9333ea' }] },
  {
    key: 'queue_depth', title: 'Queue depths (batches)', path: '/api/pipeline/run/queue_depth', columns: [
      { name: 'transform_queue', label: 'transform', color: '#d97706' },
      { name: 'target_queue', label: 'target', color: '#dc2626' },
      { name: 'in_flight', label: 'in flight', color: '#0891b2' },
    ],
  },
];

const HEIGHT = 180;

/** A tick's UTC time, as precise as the step between ticks needs: a day, a minute or a second. */
function utcLabel(seconds: number, step: number): string {
  const text = new Date(seconds * 1000).toISOString();
  if (step >= 86400) return text.slice(0, 10);
  return step >= 60 ? text.slice(11, 16) : text.slice(11, 19);
}

function toData(spec: ChartSpec, points: Point[]): uPlot.AlignedData {
  const xs = points.map((p) => Date.parse(p.created_at) / 1000);
  return [xs, ...spec.columns.map((c) => points.map((p) => Number(p[c.name])))];
}

/**
 * A chart in its own box; `data-points` on the box tells how many points it draws (what a reader
 * and the browser tests can check without reading pixels).
 */
export class RunChart {
  readonly element: HTMLElement;
  private readonly body: HTMLElement;
  private plot: uPlot | null = null;

  constructor(private readonly spec: ChartSpec) {
    this.body = h('div', { class: 'chart-body' });
    this.element = h('figure', { class: 'chart', 'data-chart': spec.key, 'data-points': 0 }, h('figcaption', {}, spec.title), this.body);
  }

  update(points: Point[]): void {
    this.element.setAttribute('data-points', String(points.length));
    if (points.length === 0) {
      this.destroy();
      replace(this.body, h('p', { class: 'muted chart-empty' }, 'No points yet.'));
      return;
    }
    const data = toData(this.spec, points);
    if (this.plot) {
      this.plot.setData(data);
      return;
    }
    replace(this.body);
    this.plot = new uPlot({
      width: this.width(),
      height: HEIGHT,
      legend: { show: this.spec.columns.length > 1 },
      cursor: { drag: { x: false, y: false } },
      series: [{}, ...this.spec.columns.map((c) => ({ label: c.label, stroke: c.color, width: 1.5, points: { show: points.length < 60 } }))],
      // Times in UTC, as everywhere in the UI; one label per tick, so a phone's axis stays legible.
      axes: [{ space: 70, values: (_u, ticks, _axis, _space, step) => ticks.map((tick) => utcLabel(tick, step)) }, { size: 60 }],
      // One point has no span of its own (uPlot then shows a day after it): show the minutes around it.
      scales: { x: { time: true, range: (u, min, max) => (u.data[0].length === 1 ? [min - 60, min + 60] : [min, max]) } },
    }, data, this.body);
  }

  resize(): void {
    this.plot?.setSize({ width: this.width(), height: HEIGHT });
  }

  destroy(): void {
    this.plot?.destroy();
    this.plot = null;
  }

  private width(): number {
    return Math.max(200, Math.floor(this.element.clientWidth || this.body.clientWidth || 300) - 2);
  }
}

/** The Prometheus text format (0.0.4): metric families with HELP, TYPE and their samples. */

export type LabelValues = Record<string, string | number>;

export interface Family {
  readonly name: string;
  readonly help: string;
  readonly type: 'gauge' | 'counter';
  readonly samples: string[];
}

/** Label values escaped as the text format asks: backslash, quote and newline. */
function labels(values: LabelValues): string {
  const text = Object.entries(values).map(([k, v]) => `${k}="${String(v).replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n')}"`);
  return `{${text.join(',')}}`;
}

export function family(name: string, type: Family['type'], help: string): Family {
  return { name, type, help, samples: [] };
}

/** One sample; a missing value (no point yet) gives no sample rather than a made-up 0. */
export function add(f: Family, labelValues: LabelValues, value: unknown): void {
  if (value === null || value === undefined) return;
  f.samples.push(`${f.name}${labels(labelValues)} ${Number(value)}`);
}

export function render(families: readonly Family[]): string {
  return families
    .map((f) => [`# HELP ${f.name} ${f.help}`, `# TYPE ${f.name} ${f.type}`, ...f.samples].join('\n'))
    .join('\n') + '\n';
}

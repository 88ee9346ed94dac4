import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import influxdbTarget from '../../src/connectors/influxdb/connector.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { silentLogger } from '../../src/logging/logger.js';

const VICTORIA = 'http://127.0.0.1:8428';
const COLUMNS = {
  id: 'int64', host: 'utf8', region: 'utf8', amount: 'decimal(38,10)', big: 'uint64', delta: 'int64',
  ratio: 'float64', flag: 'bool', note: 'utf8', created: 'timestamp',
};
const CSV = `${Object.keys(COLUMNS).join(',')}
1,"web 1,a=b 🚀",eu,12345678901234567890123456.1234567890,18446744073709551615,-9223372036854775808,0.1,true,"say ""hi"" \\ 𝄞",2024-02-29T23:59:59.999999Z
2,db-李雷,,-0.0000000001,0,42,-1.5e300,false,plain,2001-09-09T01:46:40.000001Z
3,cache,us,,,,,,,2020-01-01T00:00:00.123456Z
`;

let folder: string;
let csv: string;
let proxy: Server;
let proxyUrl: string;
const bodies: string[] = [];

/** Passes writes on to victoria-metrics and keeps each body, so the exact line protocol can be checked too. */
async function startRecordingProxy(): Promise<void> {
  const upstream = new URL(VICTORIA);
  proxy = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      bodies.push(body.toString('utf8'));
      const headers = { ...req.headers, 'content-length': String(body.length) };
      delete headers['content-encoding'];
      const forward = request({ host: upstream.hostname, port: upstream.port, method: req.method, path: req.url, headers }, (answer) => {
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      });
      forward.end(body);
    });
  });
  await new Promise<void>((resolve) => proxy.listen(0, '127.0.0.1', resolve));
  proxyUrl = `http://127.0.0.1:${(proxy.address() as AddressInfo).port}`;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fastlane-influxdb-'));
  csv = join(folder, 'rows.csv');
  await writeFile(csv, CSV);
  await startRecordingProxy();
});

afterAll(async () => {
  await new Promise<void>((resolve) => {
    proxy.close(() => resolve());
    proxy.closeAllConnections();
  });
  await rm(folder, { recursive: true, force: true });
});

interface Series {
  metric: Record<string, string>;
  values: number[];
  timestamps: number[];
}

async function exportSeries(measurement: string): Promise<Series[]> {
  await fetch(`${VICTORIA}/internal/force_flush`);
  const url = `${VICTORIA}/api/v1/export?${new URLSearchParams({ 'match[]': `{__name__=~"${measurement}_.*"}` })}`;
  const text = await (await fetch(url)).text();
  return text.split('\n').filter((l) => l.trim() !== '').map((l) => JSON.parse(l) as Series);
}

/** Splits a line protocol line into its unescaped parts: tags by key, fields by key (raw value text), time. */
function parseLine(line: string): { tags: Record<string, string>; fields: Record<string, string>; time: string } {
  const parts = line.match(/(?:\\.|"(?:\\.|[^"\\])*"|[^ ])+/g)!;
  const [series, fieldPart, time] = parts;
  const unescape = (s: string) => s.replace(/\\(.)/g, '$1');
  const [, ...tagPairs] = series.match(/(?:\\.|[^,])+/g)!;
  const tags = Object.fromEntries(tagPairs.map((p) => {
    const [k, v] = p.match(/(?:\\.|[^=])+/g)!;
    return [unescape(k), unescape(v)];
  }));
  const fields = Object.fromEntries(fieldPart.match(/(?:\\.|"(?:\\.|[^"\\])*"|[^,])+/g)!.map((p) => {
    const at = p.search(/(?<!\\)=/);
    return [unescape(p.slice(0, at)), p.slice(at + 1)];
  }));
  return { tags, fields, time };
}

/** A field's expected line protocol text: exact digits with a type suffix, floats as JS prints doubles, strings quoted. */
function fieldText(name: string, text: string, suffix: string | undefined): string {
  if (suffix === undefined) return `"${text.replace(/[\\"]/g, '\\$&')}"`;
  return name === 'ratio' ? String(Number(text)) : `${text}${suffix}`;
}

function isoToMicros(text: string): bigint {
  const m = /^(.*T\d{2}:\d{2}:\d{2})(?:\.(\d{1,6}))?Z$/.exec(text)!;
  return BigInt(Date.parse(`${m[1]}Z`)) * 1000n + BigInt((m[2] ?? '').padEnd(6, '0'));
}

describe('target influxdb against victoria-metrics (InfluxDB v2 write API)', () => {
  test('each row becomes a point with its tags, typed fields and microsecond time', async () => {
    const measurement = `fastlane_it_${Date.now()}_${process.pid}`;
    const connectors = new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', influxdbTarget);
    const config = parseConfig({
      source: { file: { path: csv, columns: COLUMNS, batch_size: 2 } },
      replication_mode: 'FULL_TABLE',
      transform: { add_op_fields: false },
      target: {
        influxdb: {
          url: proxyUrl, token: 'any', org: 'fastlane', bucket: 'tests', measurement,
          tag_columns: ['host', 'region'], time_column: 'created', batch_size: 2, concurrency: 2, max_retries: 0,
        },
      },
    }, 'test', { registry: connectors, transformType: 'default' });
    const summary = await runPipeline({ plan: planPipeline(config, connectors, { transform: 'default' }), logger: silentLogger(), stop: new StopRequest(null) });
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 3 });

    const source = parse(CSV, { columns: true }) as Record<string, string>[];
    const lines = bodies.join('\n').split('\n').filter((l) => l.startsWith(`${measurement},`)).map(parseLine);
    expect(lines).toHaveLength(source.length);
    const series = await exportSeries(measurement);
    const suffix: Record<string, string> = { id: 'i', delta: 'i', big: 'u', amount: '', ratio: '', flag: '' };

    for (const row of source) {
      const time = isoToMicros(row.created) * 1000n;
      const line = lines.find((l) => l.time === String(time))!;
      const tags = Object.fromEntries(['host', 'region'].filter((t) => row[t] !== '').map((t) => [t, row[t]]));
      expect(line.tags).toEqual(tags);
      const fields = Object.fromEntries(Object.keys(COLUMNS)
        .filter((name) => !['host', 'region', 'created'].includes(name) && row[name] !== '')
        .map((name) => [name, fieldText(name, row[name], suffix[name])]));
      expect(line.fields).toEqual(fields);

      // victoria-metrics keeps each numeric field as metric <measurement>_<field>, as a double, at milliseconds.
      for (const name of Object.keys(suffix).filter((n) => row[n] !== '')) {
        const stored = series.find((s) => s.metric.__name__ === `${measurement}_${name}` && s.metric.host === row.host);
        expect(stored?.metric).toEqual({ __name__: `${measurement}_${name}`, ...tags });
        expect(stored?.timestamps).toEqual([Number(time / 1_000_000n)]);
        const want = name === 'flag' ? (row.flag === 'true' ? 1 : 0) : Number(row[name]);
        expect(Math.abs(stored!.values[0] - want)).toBeLessThanOrEqual(Math.abs(want) * 1e-12);
      }
    }
  });
});

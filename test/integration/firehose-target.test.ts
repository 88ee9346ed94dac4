import { afterAll, beforeAll, describe, expect, test } from '@jest/globals';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse } from 'csv-parse/sync';
import { Registry } from '../../src/registry.js';
import fileSource from '../../src/connectors/file/source.js';
import defaultTransform from '../../src/connectors/default/transform.js';
import firehoseTarget from '../../src/connectors/firehose/connector.js';
import { parseJsonObjectLine } from '../../src/connectors/file/ndjson-parser.js';
import { parseConfig } from '../../src/config/load.js';
import { planPipeline } from '../../src/config/plan.js';
import { runPipeline } from '../../src/pipeline/run.js';
import { StopRequest } from '../../src/pipeline/stop.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { RunSummary } from '../../src/pipeline/stats.js';
import { generateSample, SAMPLE_COLUMNS } from '../../scripts/generate-sample.js';
import { startFirehoseServer, type FirehoseServer } from '../servers/firehose.js';

const KEY = { access_key_id: 'AKIDFASTLANETEST', secret_access_key: 'secret' };
const MIXED_COLUMNS = {
  id: 'int64', amount: 'decimal(38,10)', big: 'uint64', created: 'timestamp', day: 'date',
  name: 'utf8', blob: 'binary', doc: 'json', flag: 'bool', ratio: 'float64',
};
/** Every kind of value a record must keep exactly; row 3 is NULL in every column but the key. */
const MIXED_CSV = `${Object.keys(MIXED_COLUMNS).join(',')}
1,12345678901234567890123456.1234567890,18446744073709551615,2024-02-29T23:59:59.999999Z,2024-02-29,"Zoë 🚀 李雷",AAEAAgD/,"{""a"":18446744073709551615,""b"":[1,2]}",true,0.1
2,-0.0000000001,0,1969-12-31T23:59:59.000001Z,1969-12-31,"𝄞 ""music"",
too",AA==,{},false,-1.5e300
3,,,,,,,,,
4,9999999999999999999999999999.9999999999,9007199254740993,2000-01-01T00:00:00.000000Z,2000-01-01,"",AAAAAA==,[],true,5e-324
`;

let server: FirehoseServer;
let folder: string;

function registry(): Registry {
  return new Registry().register('source', fileSource).register('transform', defaultTransform).register('target', firehoseTarget);
}

async function run(path: string, columns: Record<string, string>, stream: string, target: Record<string, unknown> = {}): Promise<RunSummary> {
  const connectors = registry();
  const config = parseConfig({
    source: { file: { path, columns, batch_size: Number(target.batch_size ?? 500) } },
    replication_mode: 'FULL_TABLE',
    transform: { add_op_fields: false },
    target: { firehose: { delivery_stream: stream, endpoint: server.endpoint, ...KEY, batch_size: 1000, concurrency: 2, ...target } },
  }, 'test', { registry: connectors, transformType: 'default' });
  return runPipeline({ plan: planPipeline(config, connectors, { transform: 'default' }), logger: silentLogger(), stop: new StopRequest(null) });
}

/** Each record as its fields' kinds and exact texts, parsed without rounding numbers. */
function decode(records: Buffer[]): Map<string, Map<string, { kind: string; text: string | null }>> {
  const rows = new Map<string, Map<string, { kind: string; text: string | null }>>();
  for (const record of records) {
    const text = record.toString('utf8');
    expect(text.endsWith('\n')).toBe(true);
    expect(text.indexOf('\n')).toBe(text.length - 1);
    const fields = parseJsonObjectLine(text.slice(0, -1));
    rows.set(fields.get('id')!.text!, fields);
  }
  return rows;
}

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fastlane-firehose-'));
  // Every 7th row is refused on its first arrival, as a throttled stream refuses records.
  server = await startFirehoseServer({
    streams: ['orders', 'mixed', 'wide'],
    accessKeyId: KEY.access_key_id,
    refuseRecord: (data, attempt) => attempt === 1 && Number(/"id":(\d+)/.exec(data.toString('utf8'))?.[1]) % 7 === 0,
  });
});

afterAll(async () => {
  await server.stop();
  await rm(folder, { recursive: true, force: true });
});

describe('target firehose against an AWS JSON 1.1 endpoint', () => {
  test('every row arrives once as one JSON line, within the call limits, refused records sent again', async () => {
    const csv = join(folder, 'orders.csv');
    await generateSample({ rows: 1234, out: csv, format: 'csv', seed: 7 });
    const summary = await run(csv, SAMPLE_COLUMNS, 'orders');
    expect(summary.error).toBeUndefined();
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 1234 });

    const calls = server.calls.filter((c) => c.stream === 'orders');
    expect(Math.max(...calls.map((c) => c.records))).toBe(500);
    expect(calls.every((c) => c.bytes <= 4 * 1024 * 1024)).toBe(true);
    expect(calls.reduce((sum, c) => sum + c.refused, 0)).toBe(Math.floor(1234 / 7));

    const records = server.records('orders');
    expect(records).toHaveLength(1234);
    const rows = decode(records);
    const source = parse(await readFile(csv), { columns: true }) as Record<string, string>[];
    expect(rows.size).toBe(source.length);
    for (const row of source) {
      const got = rows.get(row.id)!;
      for (const [name, text] of Object.entries(row)) {
        expect([name, got.get(name)?.text]).toEqual([name, text === '' ? null : text]);
      }
    }
  });

  test('calls stay within 4 MiB when records are large', async () => {
    const csv = join(folder, 'wide.csv');
    const texts = Array.from({ length: 700 }, (_, i) => `${i}`.padEnd(10_000, String.fromCharCode(97 + (i % 26))));
    await writeFile(csv, `id,text\n${texts.map((t, i) => `${i + 1},${t}`).join('\n')}\n`);
    const summary = await run(csv, { id: 'int64', text: 'utf8' }, 'wide', { batch_size: 700 });
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 700 });
    const calls = server.calls.filter((c) => c.stream === 'wide');
    expect(calls.every((c) => c.bytes <= 4 * 1024 * 1024)).toBe(true);
    expect(calls.length).toBeGreaterThan(1);
    const rows = decode(server.records('wide'));
    expect([...rows.keys()].sort((a, b) => Number(a) - Number(b))).toEqual(texts.map((_, i) => String(i + 1)));
    for (const [id, fields] of rows) expect(fields.get('text')?.text).toBe(texts[Number(id) - 1]);
  });

  test('values stay exact: uint64, decimal(38,10), microseconds, base64 bytes with zeros, 4-byte UTF-8, JSON, NULL', async () => {
    const csv = join(folder, 'mixed.csv');
    await writeFile(csv, MIXED_CSV);
    const summary = await run(csv, MIXED_COLUMNS, 'mixed');
    expect(summary).toMatchObject({ status: 'completed', rowsLoaded: 4 });

    const source = parse(MIXED_CSV, { columns: true }) as Record<string, string>[];
    const rows = decode(server.records('mixed'));
    const kinds: Record<string, string> = {
      id: 'number', amount: 'number', big: 'number', created: 'string', day: 'string', name: 'string', blob: 'string', doc: 'nested', flag: 'bool', ratio: 'number',
    };
    for (const row of source) {
      const got = rows.get(row.id)!;
      for (const [name, text] of Object.entries(row)) {
        const isNull = text === '' && !(name === 'name' && row.id === '4');
        const want = isNull ? { kind: 'null', text: null } : { kind: kinds[name], text: name === 'ratio' ? String(Number(text)) : text };
        expect([name, got.get(name)]).toEqual([name, want]);
      }
    }
    expect(Buffer.from(rows.get('1')!.get('blob')!.text!, 'base64')).toEqual(Buffer.from([0, 1, 0, 2, 0, 255]));
  });
});

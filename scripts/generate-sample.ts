/**
 * Writes a deterministic sample dataset: the same rows for the same --rows and --seed, every run.
 * Twelve columns covering what an ETL must carry exactly: int64 beyond 2^53, decimals,
 * microsecond timestamps, 4-byte UTF-8, NULLs, JSON, booleans, dates.
 *
 *   tsx scripts/generate-sample.ts [--rows 100000] [--out tmp/sample/orders.csv] [--format csv|ndjson] [--seed 42]
 */
import { createWriteStream } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import { once } from 'node:events';

export const SAMPLE_COLUMNS = {
  id: 'int64',
  account_id: 'int64',
  amount: 'decimal(12,2)',
  ratio: 'float64',
  status: 'utf8',
  customer: 'utf8',
  note: 'utf8',
  created_at: 'timestamp',
  ship_date: 'date',
  is_paid: 'bool',
  coupon: 'utf8',
  attributes: 'json',
} as const;

/** mulberry32: a tiny seeded PRNG, so the data is the same on every machine. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const STATUSES = ['new', 'paid', 'shipped', 'delivered', 'returned'];
const NAMES = ['Ada', 'Grace', 'Linus', 'Zoë', 'Jürgen', 'Ōkubo', 'Søren', 'Łucja', '李雷', 'Amélie'];
const EMOJI = ['🚀', '📦', '✅', '🙂', '🧾'];
const BASE_MICROS = 1_700_000_000_000_000n;

function csvField(text: string): string {
  return /[",\n\r]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text;
}

export function sampleRow(i: number, next: () => number): string[] {
  const id = BigInt(i + 1);
  const account = 9_007_199_254_740_993n + BigInt(Math.floor(next() * 1e6));
  const cents = Math.floor(next() * 100_000_000);
  const amount = `${Math.floor(cents / 100)}.${String(cents % 100).padStart(2, '0')}`;
  const micros = BASE_MICROS + id * 1_000_003n + BigInt(Math.floor(next() * 999_999));
  const created = new Date(Number(micros / 1000n)).toISOString().replace('Z', `${String(micros % 1000n).padStart(3, '0')}Z`);
  const day = new Date(Number(micros / 1000n) + 86_400_000 * Math.floor(next() * 10)).toISOString().slice(0, 10);
  const name = NAMES[Math.floor(next() * NAMES.length)];
  const emoji = EMOJI[Math.floor(next() * EMOJI.length)];
  return [
    String(id),
    String(account),
    amount,
    String(next()),
    STATUSES[Math.floor(next() * STATUSES.length)],
    `${name} ${emoji}`,
    `order ${id}, "priority" ${Math.floor(next() * 5)}`,
    created,
    day,
    next() < 0.5 ? 'true' : 'false',
    next() < 0.3 ? '' : `C${Math.floor(next() * 1e6)}`,
    JSON.stringify({ items: Math.floor(next() * 9) + 1, gift: next() < 0.1 }),
  ];
}

export async function generateSample(options: { rows: number; out: string; format: 'csv' | 'ndjson'; seed: number }): Promise<void> {
  await mkdir(dirname(options.out), { recursive: true });
  const out = createWriteStream(options.out);
  const next = random(options.seed);
  const names = Object.keys(SAMPLE_COLUMNS);
  let chunk = options.format === 'csv' ? `${names.join(',')}\n` : '';
  for (let i = 0; i < options.rows; i++) {
    const row = sampleRow(i, next);
    chunk += options.format === 'csv' ? `${row.map(csvField).join(',')}\n` : `${ndjsonLine(names, row)}\n`;
    if (chunk.length > 1 << 20) {
      if (!out.write(chunk)) await once(out, 'drain');
      chunk = '';
    }
  }
  out.end(chunk);
  await once(out, 'finish');
}

function ndjsonLine(names: string[], row: string[]): string {
  const bare = new Set(['id', 'account_id', 'amount', 'ratio', 'is_paid', 'attributes']);
  const parts = names.map((name, i) => {
    const value = row[i];
    if (name === 'coupon' && value === '') return `"${name}":null`;
    return `"${name}":${bare.has(name) ? value : JSON.stringify(value)}`;
  });
  return `{${parts.join(',')}}`;
}

function option(args: string[], name: string, fallback: string): string {
  const i = args.indexOf(`--${name}`);
  const inline = args.find((a) => a.startsWith(`--${name}=`));
  return inline ? inline.slice(name.length + 3) : i >= 0 ? args[i + 1] : fallback;
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop() as string)) {
  const args = process.argv.slice(2);
  const rows = Number(option(args, 'rows', '100000'));
  const format = option(args, 'format', 'csv') as 'csv' | 'ndjson';
  const out = option(args, 'out', `tmp/sample/orders.${format}`);
  await generateSample({ rows, out, format, seed: Number(option(args, 'seed', '42')) });
  console.error(`wrote ${rows.toLocaleString('en-US')} rows to ${out}`);
}

import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, test } from '@jest/globals';
import { runCli } from '../support/cli.js';

/**
 * The file target on a full disk and on a read-only file system, made real with a small tmpfs
 * mount (the tests run as root, so permissions cannot stand in for it): the run fails with a clear
 * error and exit 1, and nothing half-written is left looking complete.
 */
const ROWS = 4000;
let folder: string;
let csv: string;
let mountPoint: string;

beforeAll(async () => {
  folder = await mkdtemp(join(tmpdir(), 'fastlane-file-faults-'));
  csv = join(folder, 'rows.csv');
  const lines = Array.from({ length: ROWS }, (_, i) => `${i + 1},${'payload-'.repeat(10)}${i}`);
  await writeFile(csv, `id,text\n${lines.join('\n')}\n`);
});

afterAll(async () => {
  await rm(folder, { recursive: true, force: true });
});

afterEach(() => {
  if (mountPoint) execFileSync('umount', ['-l', mountPoint]);
  mountPoint = '';
});

/** Mounts a fresh tmpfs of `size` (e.g. 64k); this needs root, as the project's test machines give. */
async function mountTmpfs(name: string, size: string): Promise<string> {
  const point = join(folder, name);
  await mkdir(point, { recursive: true });
  execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${size}`, 'tmpfs', point]);
  mountPoint = point;
  return point;
}

async function runInto(path: string, mode: 'FULL_TABLE' | 'INCREMENTAL') {
  const config = join(folder, `config-${mode}.json`);
  await writeFile(config, JSON.stringify({
    replication_mode: mode,
    source: { file: { path: csv, key: 'id', batch_size: 250 } },
    target: { file: { path, format: 'ndjson', batch_size: 250, concurrency: 1 } },
  }));
  const logFile = join(folder, `log-${mode}-${Date.now()}.jsonl`);
  const result = await runCli(['run', `--config=${config}`, '--progress=off', `--state-dir=${folder}`, `--logs_to_file=${logFile}`]);
  return { ...result, output: `${result.stderr}${result.stdout}${await readFile(logFile, 'utf8')}` };
}

/** Ids of every row of every data file in `path`; each file must parse whole. */
async function idsIn(path: string): Promise<number[]> {
  const ids: number[] = [];
  for (const name of (await readdir(path)).filter((n) => n.endsWith('.ndjson'))) {
    const text = await readFile(join(path, name), 'utf8');
    expect(text.endsWith('\n')).toBe(true);
    ids.push(...text.trimEnd().split('\n').map((line) => (JSON.parse(line) as { id: number }).id));
  }
  return ids.sort((a, b) => a - b);
}

async function stateOffset(path: string): Promise<number | null> {
  const text = await readFile(join(path, '_fastlane_state.json'), 'utf8').catch(() => null);
  if (text === null) return null;
  const offset = (JSON.parse(text) as { offset: { $bigint: string } | number | null }).offset;
  return offset === null ? null : Number(typeof offset === 'object' ? offset.$bigint : offset);
}

describe('file target on a full or read-only disk', () => {
  test('INCREMENTAL on a full disk: exit 1 naming the full disk; no temporary file, every file whole, the state not ahead of the files', async () => {
    const disk = await mountTmpfs('full-inc', '96k');
    const out = join(disk, 'out');
    const result = await runInto(out, 'INCREMENTAL');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/FL_TARGET.*cannot write '[^']*out\/[^']+': the disk is full: free space on it or point target\.file\.path at another disk/s);
    // A write cut short (by the full disk, or by the worker ended with the run) stays hidden and temporary.
    expect((await readdir(out)).filter((n) => !n.endsWith('.ndjson') && n !== '_fastlane_state.json').every((n) => /^\.part-\d+-\d{6}\.ndjson\.tmp$/.test(n))).toBe(true);
    const ids = await idsIn(out);
    expect(ids.length).toBeGreaterThan(0);
    expect(ids.length).toBeLessThan(ROWS);
    const offset = await stateOffset(out);
    if (offset !== null) expect(ids.filter((id) => id <= offset)).toEqual(Array.from({ length: offset }, (_, i) => i + 1));

    // With room again, the next run removes what was left temporary before it loads.
    execFileSync('mount', ['-o', 'remount,size=4m', disk]);
    expect((await runInto(out, 'INCREMENTAL')).code).toBe(0);
    expect((await readdir(out)).filter((n) => n.endsWith('.tmp'))).toEqual([]);
    expect(new Set(await idsIn(out)).size).toBe(ROWS);
  });

  test('FULL_TABLE on a full disk: exit 1, no target folder and no staging folder left', async () => {
    const disk = await mountTmpfs('full-full', '96k');
    const result = await runInto(join(disk, 'out'), 'FULL_TABLE');
    expect(result.code).toBe(1);
    expect(result.output).toMatch(/the disk is full/);
    expect(await readdir(disk)).toEqual([]);
  });

  test('a read-only file system: exit 1 naming it, for a folder that exists and for one to create', async () => {
    const disk = await mountTmpfs('read-only', '1m');
    const out = join(disk, 'out');
    await mkdir(out);
    execFileSync('mount', ['-o', 'remount,ro', disk]);
    const existing = await runInto(out, 'INCREMENTAL');
    expect(existing.code).toBe(1);
    expect(existing.output).toMatch(/FL_TARGET.*cannot write '[^']*out\/[^']+': the file system is read-only: point target\.file\.path at a writable folder/s);
    const created = await runInto(join(disk, 'new'), 'FULL_TABLE');
    expect(created.code).toBe(1);
    expect(created.output).toMatch(/FL_TARGET.*cannot create the folder '[^']*new\.staging-\d+': check target\.file\.path and its permissions/s);
    expect(await readdir(disk)).toEqual(['out']);
    expect(await readdir(out)).toEqual([]);
  });
});

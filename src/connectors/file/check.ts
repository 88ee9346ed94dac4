import { constants } from 'node:fs';
import { access, open } from 'node:fs/promises';
import { dirname, resolve } from 'node:path';
import type { FileSourceConfig } from './config.js';
import type { FileTargetConfig } from './config.js';

/** `fastlane check` for a file source: the file is readable; a CSV's header holds the key and the declared columns. */
export async function checkFileSource(config: FileSourceConfig): Promise<string[]> {
  try {
    await access(config.path, constants.R_OK);
  } catch (error) {
    return [`cannot read '${config.path}': ${(error as Error).message}`];
  }
  if (config.format !== 'csv') return [];
  const header = (await firstLine(config.path)).split(config.delimiter ?? ',').map((name) => name.trim().replace(/^"(.*)"$/, '$1'));
  const wanted = [...(config.key ? [config.key] : []), ...Object.keys(config.columns ?? {})];
  return [...new Set(wanted)].filter((name) => !header.includes(name))
    .map((name) => `column '${name}' (${name === config.key ? 'the key' : 'in columns'}) is not in the header of ${config.path}; its columns: ${header.join(', ')}`);
}

/** `fastlane check` for a file target: the folder, or the nearest folder above it that exists, is writable. */
export async function checkFileTarget(config: FileTargetConfig): Promise<string[]> {
  for (let dir = resolve(config.path); ; dir = dirname(dir)) {
    try {
      await access(dir, constants.F_OK);
    } catch {
      if (dirname(dir) === dir) return [`no folder of '${config.path}' exists`];
      continue;
    }
    try {
      await access(dir, constants.W_OK);
      return [];
    } catch {
      return [`cannot write into '${dir}' (target.file.path '${config.path}'): check its permissions`];
    }
  }
}

async function firstLine(path: string): Promise<string> {
  const handle = await open(path, 'r');
  try {
    const buffer = Buffer.alloc(64 * 1024);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    const text = buffer.subarray(0, bytesRead).toString('utf8').replace(/^\uFEFF/, '');
    return text.split(/\r?\n/, 1)[0] ?? '';
  } finally {
    await handle.close();
  }
}

/**
 * Rows of a CSV or NDJSON file, estimated from its size and the mean length of the lines in its
 * first 64 KiB (for the progress line's percentage; quoted line breaks make it rougher).
 */
export async function estimateTextRows(path: string, hasHeader: boolean): Promise<number | null> {
  const handle = await open(path, 'r');
  try {
    const { size } = await handle.stat();
    const buffer = Buffer.alloc(Math.min(64 * 1024, size));
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    let lines = 0;
    let lastBreak = -1;
    for (let i = 0; i < bytesRead; i++) if (buffer[i] === 0x0a) { lines++; lastBreak = i; }
    if (bytesRead === size) return Math.max(lines + (buffer[bytesRead - 1] === 0x0a || bytesRead === 0 ? 0 : 1) - (hasHeader ? 1 : 0), 0);
    if (lines === 0) return null;
    return Math.max(Math.round(size / ((lastBreak + 1) / lines)) - (hasHeader ? 1 : 0), 0);
  } finally {
    await handle.close();
  }
}

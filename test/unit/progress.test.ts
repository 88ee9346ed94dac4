import { describe, expect, it } from '@jest/globals';
import { Writable } from 'node:stream';
import winston from 'winston';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { estimateTextRows } from '../../src/connectors/file/check.js';
import { MovingRate } from '../../src/pipeline/moving-rate.js';
import { withTempDir } from '../support/pipeline.js';
import { ProgressReporter, fitWidth, progressLine } from '../../src/pipeline/progress.js';
import { RunStats } from '../../src/pipeline/stats.js';
import type { RunStart } from '../../src/pipeline/run.js';

function stats(loaded: number, expected: number | null): RunStats {
  const s = new RunStats();
  s.rowsExtracted = loaded;
  s.rowsLoaded = loaded;
  s.rowsExpected = expected;
  return s;
}

describe('the progress line', () => {
  it('shows a percentage and an ETA when the source knows its row count', () => {
    expect(progressLine(stats(250_000, 1_000_000), 5_000)).toMatch(/^25% of ~1,000,000 ETA 2m30s \| extracted 250,000 \| loaded 250,000 \| 5,000 rows\/s/);
    expect(progressLine(stats(250_000, null), 5_000)).toMatch(/^extracted 250,000 \| loaded 250,000 \| 5,000 rows\/s/);
  });

  it('fits the terminal width', () => {
    const line = progressLine(stats(250_000, 1_000_000), 5_000);
    expect(fitWidth(line, 40)).toHaveLength(39);
    expect(fitWidth(line, 40).endsWith('…')).toBe(true);
    expect(fitWidth(line, 500)).toBe(line);
    expect(fitWidth(line, undefined)).toBe(line);
  });

  it('the first rate, measured from the run start, is not 0 once rows are loaded', () => {
    const rate = new MovingRate(5);
    expect(rate.add(0, 1_000)).toBe(0);
    expect(rate.add(10_000, 6_000)).toBe(2_000);
  });

  it('a log line during a run clears the live line first, so it starts on a line of its own', () => {
    let written = '';
    const terminal = Object.assign(new Writable({ write: (chunk: Buffer, _e, done) => { written += chunk.toString(); done(); } }), { columns: 80 }) as unknown as NodeJS.WriteStream;
    const seen: string[] = [];
    const logger = winston.createLogger({ transports: [new winston.transports.Stream({ stream: new Writable({ objectMode: true, write: (info: { message: string }, _e, done) => { seen.push(`${written.endsWith('\r\x1b[K') ? 'cleared' : 'not cleared'}: ${info.message}`); done(); } }) })] });
    const reporter = new ProgressReporter('tty', logger, terminal);
    reporter.start({ stats: new RunStats() } as unknown as RunStart);
    logger.warn('a value was replaced by NULL');
    reporter.finish({} as never);
    logger.warn('after the run');
    expect(seen[0]).toBe('cleared: a value was replaced by NULL');
    expect(written.match(/\r\x1b\[K/g)).toHaveLength(2);
  });

  it('a CSV or NDJSON file source estimates its rows from its size: exact when the file is small', async () => {
    await withTempDir(async (dir) => {
      const small = join(dir, 'small.csv');
      await writeFile(small, 'id,name\n1,a\n2,b\n3,c');
      expect(await estimateTextRows(small, true)).toBe(3);
      const big = join(dir, 'big.ndjson');
      await writeFile(big, Array.from({ length: 50_000 }, (_, i) => `{"id":${i},"name":"row ${i % 97}"}`).join('\n') + '\n');
      const estimate = (await estimateTextRows(big, false)) as number;
      expect(Math.abs(estimate - 50_000) / 50_000).toBeLessThan(0.1);
    });
  });
});

import { describe, expect, it } from '@jest/globals';
import { join } from 'node:path';
import { StopRequest } from '../../src/pipeline/stop.js';
import { recordedLoads } from '../fixtures/connectors/slow-target.js';
import { runConfig, threadCount, withTempDir } from '../support/pipeline.js';

function config(source: Record<string, unknown>, target: Record<string, unknown>, extra: Record<string, unknown> = {}) {
  return { source: { generated: source }, target: { slow: target }, transform: { add_op_fields: false }, ...extra };
}

describe('pipeline flow', () => {
  it('never has more batches in flight than max_buffered_batches, with a slow target', async () => {
    await withTempDir(async (dir) => {
      const record = join(dir, 'loads.txt');
      const summary = await runConfig(config(
        { rows: 3000, batch_size: 100 },
        { batch_size: 100, concurrency: 1, delay_ms: 30, record_file: record },
        { max_buffered_batches: 3 },
      ));
      expect(summary.status).toBe('completed');
      expect(summary.rowsLoaded).toBe(3000);
      // The slow target made extraction wait: the limit was reached, never passed.
      expect(summary.maxInFlight).toBe(3);
      const loads = await recordedLoads(record);
      expect(loads.reduce((sum, l) => sum + l.rows, 0)).toBe(3000);
    });
  });

  it('gathers small source batches into loads of the target batch_size, in key order', async () => {
    await withTempDir(async (dir) => {
      const record = join(dir, 'loads.txt');
      const summary = await runConfig(config(
        { rows: 1000, batch_size: 50 },
        { batch_size: 200, concurrency: 2, record_file: record },
        { max_buffered_batches: 16 },
      ));
      expect(summary.status).toBe('completed');
      const loads = (await recordedLoads(record)).sort((a, b) => a.sequence - b.sequence);
      expect(loads.map((l) => l.rows)).toEqual([200, 200, 200, 200, 200]);
      loads.forEach((load, i) => {
        expect(load.first).toBe(i * 200 + 1);
        expect(load.last).toBe((i + 1) * 200);
      });
      expect(summary.endOffset).toBe('1000');
    });
  });

  it('starts no transform threads when the transform passes batches through', async () => {
    const peakThreads = async (addOpFields: boolean, threads: number) => {
      let peak = 0;
      const sampler = setInterval(() => (peak = Math.max(peak, threadCount())), 5);
      try {
        const summary = await runConfig({ ...config({ rows: 2000, batch_size: 100 }, { batch_size: 100, concurrency: 1, delay_ms: 20 }), transform: { add_op_fields: addOpFields, concurrency: threads } });
        expect(summary.rowsLoaded).toBe(2000);
      } finally {
        clearInterval(sampler);
      }
      return peak;
    };
    await peakThreads(true, 1); // warm-up: lazily started runtime threads
    // OS threads one worker thread brings (its event loop and V8's helpers).
    const perWorker = (await peakThreads(true, 2)) - (await peakThreads(true, 1));
    expect(perWorker).toBeGreaterThan(0);
    expect((await peakThreads(true, 1)) - (await peakThreads(false, 2))).toBe(perWorker);
  });

  it('stops at once on a target error on load k, naming the stage and load, and leaves no thread behind', async () => {
    await runConfig(config({ rows: 200, batch_size: 100 }, { batch_size: 100 })); // warm-up: lazily started runtime threads
    const threadsBefore = threadCount();
    const summary = await runConfig(config(
      { rows: 1_000_000_000, batch_size: 500 },
      { batch_size: 500, concurrency: 2, fail_on_load: 3 },
    ));
    expect(summary.status).toBe('failed');
    expect(summary.error?.code).toBe('FL_TARGET');
    expect(summary.error?.message).toMatch(/target 'slow' failed on load 3 \(batch \d+\): refused load 3/);
    // Stopped at once, judged by rows rather than the clock: of a billion rows, only the loads
    // before the failure, the batches backpressure lets wait (max_buffered_batches 8) and the few
    // the other thread loaded while the failure travelled were extracted.
    expect(summary.rowsExtracted).toBeLessThan(50 * 500);
    expect(threadCount()).toBeLessThanOrEqual(threadsBefore);
  });

  it('on a stop request loads what is in flight and ends as exited', async () => {
    await withTempDir(async (dir) => {
      const record = join(dir, 'loads.txt');
      const stop = new StopRequest(null);
      const timer = setTimeout(() => stop.request('SIGTERM'), 400);
      const summary = await runConfig(config(
        { rows: 100_000, batch_size: 100, delay_ms: 20 },
        { batch_size: 100, concurrency: 2, delay_ms: 20, record_file: record },
        { max_buffered_batches: 4 },
      ), { stop });
      clearTimeout(timer);
      expect(summary.status).toBe('exited');
      expect(summary.rowsExtracted).toBeGreaterThan(0);
      expect(summary.rowsExtracted).toBeLessThan(100_000);
      // Everything extracted was loaded: nothing in flight was dropped.
      expect(summary.rowsLoaded).toBe(summary.rowsExtracted);
      const loads = await recordedLoads(record);
      expect(loads.reduce((sum, l) => sum + l.rows, 0)).toBe(summary.rowsExtracted);
      expect(Math.max(...loads.map((l) => l.last))).toBe(summary.rowsExtracted);
    });
  });
});

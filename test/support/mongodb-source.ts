import type { Table } from 'apache-arrow';
import { planFor } from './pipeline.js';
import { silentLogger } from '../../src/logging/logger.js';
import type { Offset } from '../../src/stages/offset.js';
import type { Source } from '../../src/stages/source.js';

/** Builds the MongoDB source of a config section as a run would (schema defaults applied). */
export async function mongoSource(section: Record<string, unknown>, mode: 'FULL_TABLE' | 'INCREMENTAL' = 'FULL_TABLE'): Promise<Source> {
  const plan = planFor({ replication_mode: mode, source: { mongodb: section }, target: { file: { path: '/nonexistent' } } });
  return plan.source.connector.create(plan.source.config as never, { pipelineId: 'test', runId: '1', replicationMode: mode, logger: silentLogger() });
}

/** Every batch the source yields from `startAfter`, with its offset. */
export async function readAll(section: Record<string, unknown>, startAfter: Offset | null = null): Promise<{ tables: Table[]; offsets: (Offset | undefined)[]; warnings: Record<string, number> }> {
  const source = await mongoSource(section);
  const tables: Table[] = [];
  const offsets: (Offset | undefined)[] = [];
  try {
    await source.open();
    for await (const batch of source.batches(startAfter)) {
      tables.push(batch.table);
      offsets.push(batch.lastKey);
    }
    return { tables, offsets, warnings: source.warnings?.() ?? {} };
  } finally {
    await source.close();
  }
}

/** The rows of the tables as plain objects. */
export function rowsOf(tables: readonly Table[]): Record<string, unknown>[] {
  return tables.flatMap((table) => table.toArray().map((row) => ({ ...(row as { toJSON(): Record<string, unknown> }).toJSON() })));
}

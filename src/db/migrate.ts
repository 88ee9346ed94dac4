import { join } from 'node:path';
import pg from 'pg';
import Postgrator from 'postgrator';
import { FastlaneError } from '../errors.js';
import { PACKAGE_ROOT } from '../paths.js';

export const MIGRATIONS_PATTERN = join(PACKAGE_ROOT, 'db', 'migrations', '*').split('\\').join('/');

export interface MigrationResult {
  readonly from: number;
  readonly to: number;
  readonly applied: readonly string[];
}

/**
 * Moves the metrics database's schema to `target`: 'max' (the newest), 'previous' (one step
 * back) or a version number ('0' undoes everything). Every migration has a do and an undo file.
 */
export async function migrateDatabase(databaseUrl: string, target: string = 'max'): Promise<MigrationResult> {
  const client = new pg.Client({ connectionString: databaseUrl });
  try {
    await client.connect();
  } catch (error) {
    throw new FastlaneError('FL_CONNECT', `cannot connect to the metrics database (${redactUrl(databaseUrl)}): check --database-url or DATABASE_URL`, { cause: error });
  }
  try {
    const postgrator = new Postgrator({
      migrationPattern: MIGRATIONS_PATTERN,
      driver: 'pg',
      schemaTable: 'schemaversion',
      execQuery: (query) => client.query(query),
    });
    const from = await postgrator.getDatabaseVersion();
    const version = target === 'previous' ? String(Math.max(0, from - 1)) : target;
    const applied = await postgrator.migrate(version);
    return { from, to: await postgrator.getDatabaseVersion(), applied: applied.map((m) => m.filename) };
  } catch (error) {
    if (error instanceof FastlaneError) throw error;
    throw new FastlaneError('FL_CONNECT', `migrating the metrics database to ${target} failed: ${(error as Error).message}`, { cause: error });
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** A database URL without its password, for messages. */
export function redactUrl(url: string): string {
  return url.replace(/(\/\/[^:/@]+):[^@]*@/, '$1:***@');
}

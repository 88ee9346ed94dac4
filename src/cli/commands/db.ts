import { migrateDatabase, redactUrl } from '../../db/migrate.js';
import type { DbCommand } from '../args.js';
import { EXIT } from '../exit-codes.js';

/** `fastlane db migrate|rollback`: moves the metrics database's schema by hand. */
export async function db(command: DbCommand, io: { readonly stdout: (text: string) => void }): Promise<number> {
  const target = command.to ?? (command.action === 'migrate' ? 'max' : 'previous');
  const result = await migrateDatabase(command.databaseUrl, target);
  const applied = result.applied.length === 0 ? 'nothing to do' : result.applied.map((f) => f.split('/').pop()).join(', ');
  io.stdout(`${redactUrl(command.databaseUrl)}: version ${result.from} -> ${result.to} (${applied})\n`);
  return EXIT.OK;
}

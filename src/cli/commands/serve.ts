import { migrateDatabase, redactUrl } from '../../db/migrate.js';
import { CloudWatchLogReader } from '../../server/cloudwatch-reader.js';
import { buildServer } from '../../server/build.js';
import type { ServeCommand } from '../args.js';
import { EXIT } from '../exit-codes.js';

interface ServeIo {
  readonly stdout: (text: string) => void;
}

/** Resolves on the first SIGINT or SIGTERM. */
export function untilSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      resolve(signal);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}

/** `fastlane serve`: migrates the database, listens until `until` resolves, then closes. */
export async function serve(command: ServeCommand, io: ServeIo, until: Promise<unknown> = untilSignal()): Promise<number> {
  if (command.migrate) {
    const result = await migrateDatabase(command.databaseUrl);
    io.stdout(`metrics database ${redactUrl(command.databaseUrl)} at version ${result.to}\n`);
  }
  const app = await buildServer({
    databaseUrl: command.databaseUrl,
    token: command.token,
    authenticateReads: command.authenticateReads,
    bodyLimit: command.bodyLimit,
    corsOrigin: command.corsOrigin,
    rateLimit: command.rateLimit,
    cloudWatchLogs: new CloudWatchLogReader(),
    logger: { level: 'warn' },
  });
  try {
    const address = await app.listen({ host: command.host, port: command.port });
    io.stdout(`fastlane metrics server listening on ${address}${command.token ? ' (writes need the API token)' : ''}\n`);
    await until;
  } finally {
    await app.close();
  }
  return EXIT.OK;
}

/**
 * One server in its own process, so the load generator does not share its event loop:
 *   tsx bench/server/child.ts real|guarded|reference DATABASE_URL
 * (guarded: with a token and a 64 KiB body limit, for the mixed load)
 * Prints its URL on stdout and runs until killed.
 */
import { buildServer } from '../../src/server/build.js';
import { MIXED_BODY_LIMIT, MIXED_TOKEN } from './mixed.js';
import { startReference } from './reference.js';

const [kind, databaseUrl] = process.argv.slice(2);
let url: string;
if (kind === 'reference') {
  url = (await startReference(databaseUrl)).url;
} else {
  const guarded = kind === 'guarded' ? { token: MIXED_TOKEN, bodyLimit: MIXED_BODY_LIMIT } : {};
  const app = await buildServer({ databaseUrl, ...guarded });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}
process.stdout.write(`${url}\n`);

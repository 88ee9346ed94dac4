/**
 * One server in its own process, so the load generator does not share its event loop:
 *   tsx bench/server/child.ts real|reference DATABASE_URL
 * Prints its URL on stdout and runs until killed.
 */
import { buildServer } from '../../src/server/build.js';
import { startReference } from './reference.js';

const [kind, databaseUrl] = process.argv.slice(2);
let url: string;
if (kind === 'reference') {
  url = (await startReference(databaseUrl)).url;
} else {
  const app = await buildServer({ databaseUrl });
  url = await app.listen({ host: '127.0.0.1', port: 0 });
}
process.stdout.write(`${url}\n`);

/**
 * The MongoDB test server in a process of its own, loaded with the benchmark's documents, so its
 * CPU is not counted as the engine's. Prints its port on stdout once ready.
 *
 *   tsx bench/mongodb/server.ts <documents>
 */
import { startMongoServer } from '../../test/servers/mongodb.js';
import { benchDocuments } from './dataset.js';

const count = Number(process.argv[2] ?? 1_000_000);
const server = await startMongoServer();
for (let at = 0; at < count; at += 100_000) server.load('bench', 'events', benchDocuments(Math.min(100_000, count - at), at));
process.stdout.write(`${server.port}\n`);
process.on('SIGTERM', () => void server.stop().then(() => process.exit(0)));

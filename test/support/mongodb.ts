import { MongoClient, type Db } from 'mongodb';
import { startMongoServer, type MongoTestServer } from '../servers/mongodb.js';

/** The user the test server knows (the seed's integration config uses these). */
export const MONGO_USER = { user: 'mongo', password: '123' } as const;

/**
 * The MongoDB a test file runs against: a real server when FASTLANE_TEST_MONGODB_URL is set
 * (a connection string whose user may create and drop databases), else the wire-protocol test
 * server with a user. Each test file works in a database of its own, dropped at the end.
 */
export interface TestMongo {
  readonly db: Db;
  readonly dbName: string;
  /** The test server, or null against a real MongoDB. */
  readonly server: MongoTestServer | null;
  /** A source.mongodb section for `collection` in this database. */
  section(collection: string, extra?: Record<string, unknown>): Record<string, unknown>;
  stop(): Promise<void>;
}

let counter = 0;

export async function startTestMongo(label: string): Promise<TestMongo> {
  const url = process.env.FASTLANE_TEST_MONGODB_URL;
  const server = url ? null : await startMongoServer({ users: { [MONGO_USER.user]: MONGO_USER.password } });
  const client = url
    ? new MongoClient(url, { serverSelectionTimeoutMS: 10_000 })
    : new MongoClient(`mongodb://127.0.0.1:${server!.port}/`, { directConnection: true, auth: { username: MONGO_USER.user, password: MONGO_USER.password } });
  await client.connect();
  const dbName = `fl_${label}_${process.pid}_${counter++}`;
  const db = client.db(dbName);
  const connection = url ? { uri: url } : { host: '127.0.0.1', port: server!.port, ...MONGO_USER };
  return {
    db,
    dbName,
    server,
    section: (collection, extra = {}) => ({ ...connection, database: dbName, collection, ...extra }),
    async stop() {
      await db.dropDatabase().catch(() => undefined);
      await client.close();
      await server?.stop();
    },
  };
}

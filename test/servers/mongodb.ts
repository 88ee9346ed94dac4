import { createServer, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { Binary, EJSON, Long, ObjectId, type Document } from 'bson';
import { cursorReply, MORE_TO_COME, parseMessage, replyMessage, serialize, type Request } from './mongodb-wire.js';
import { decode, matcher, sorter } from './mongodb-query.js';
import { ScramConversation } from './mongodb-scram.js';

/**
 * A MongoDB server for the real `mongodb` driver, over the wire protocol on loopback: the
 * handshake (legacy OP_QUERY `ismaster` or OP_MSG `hello`), SCRAM-SHA-256 when users are given,
 * and OP_MSG `insert`, `find` (filter by mingo, sort, skip, limit, batchSize), `getMore`,
 * `killCursors`, `listCollections`, `drop`, `dropDatabase`, `ping`, `endSessions`. Documents are
 * stored as the BSON bytes the client sent and returned as those same bytes.
 */
export interface MongoServerOptions {
  /** user -> password; when given, every data command needs an authenticated connection. */
  readonly users?: Record<string, string>;
}

export interface MongoTestServer {
  readonly port: number;
  readonly uri: string;
  /** Every command received, in order (`hello` and auth included). */
  readonly commands: Document[];
  /** Holds replies to find and getMore while true (a server that stopped answering). */
  silent: boolean;
  /** Stores raw documents directly (benchmarks load millions without a client). */
  load(db: string, collection: string, docs: readonly Buffer[]): void;
  /** Stored documents, decoded. */
  documents(db: string, collection: string): Document[];
  stop(): Promise<void>;
}

interface OpenCursor {
  readonly ns: string;
  readonly docs: Buffer[];
  position: number;
  readonly limit: number;
}

const MAX_REPLY_BYTES = 16 * 1024 * 1024;
const MAX_DEFAULT_FIRST_BATCH = 101;
const OPEN_COMMANDS = new Set(['hello', 'ismaster', 'saslstart', 'saslcontinue', 'ping', 'endsessions', 'buildinfo']);

class CommandError extends Error {
  constructor(readonly code: number, readonly codeName: string, message: string) {
    super(message);
  }
}

export async function startMongoServer(options: MongoServerOptions = {}): Promise<MongoTestServer> {
  const store = new Map<string, Buffer[]>();
  const cursors = new Map<bigint, OpenCursor>();
  const passwords = new Map(Object.entries(options.users ?? {}));
  const commands: Document[] = [];
  const sockets = new Set<Socket>();
  let nextCursor = 1000n;
  let nextRequest = 1;
  let connectionIds = 0;
  const state = { silent: false };

  const collection = (ns: string): Buffer[] => {
    let docs = store.get(ns);
    if (!docs) store.set(ns, (docs = []));
    return docs;
  };

  function batch(cursor: OpenCursor, size: number): Buffer[] {
    const out: Buffer[] = [];
    let bytes = 0;
    const end = Math.min(cursor.docs.length, cursor.limit);
    while (cursor.position < end && out.length < size && bytes < MAX_REPLY_BYTES) {
      const doc = cursor.docs[cursor.position++];
      out.push(doc);
      bytes += doc.length;
    }
    return out;
  }

  function cursorAnswer(cursor: OpenCursor, batchName: 'firstBatch' | 'nextBatch', size: number, id: bigint | null): Buffer {
    const docs = batch(cursor, size);
    const done = cursor.position >= Math.min(cursor.docs.length, cursor.limit);
    let cursorId = id ?? 0n;
    if (done) {
      if (id !== null) cursors.delete(id);
      cursorId = 0n;
    } else if (id === null) {
      cursorId = nextCursor++;
      cursors.set(cursorId, cursor);
    }
    return cursorReply(batchName, docs, cursorId, cursor.ns);
  }

  /** The documents a filter and sort select, kept until the collection changes (a run asks twice: sample, then read). */
  const results = new Map<string, Buffer[]>();
  function changed(ns: string): void {
    for (const key of results.keys()) if (key.startsWith(`${ns}\u0000`)) results.delete(key);
  }

  function matching(ns: string, cmd: Document): Buffer[] {
    const cacheKey = `${ns}\u0000${EJSON.stringify(cmd.filter ?? {})}\u0000${EJSON.stringify(cmd.sort ?? {})}`;
    const cached = results.get(cacheKey);
    if (cached) return cached;
    const test = matcher(cmd.filter as Document | undefined);
    const compare = sorter(cmd.sort as Document | undefined);
    let rows = collection(ns).map((raw) => ({ raw, doc: decode(raw) })).filter((row) => test(row.doc));
    if (compare) rows = rows.sort((a, b) => compare(a.doc, b.doc));
    const docs = rows.map((row) => row.raw);
    results.set(cacheKey, docs);
    return docs;
  }

  function find(db: string, cmd: Document): Buffer {
    const ns = `${db}.${String(cmd.find)}`;
    const skip = Number(cmd.skip ?? 0);
    const limit = cmd.limit === undefined || Number(cmd.limit) === 0 ? Infinity : Math.abs(Number(cmd.limit));
    const cursor: OpenCursor = { ns, docs: matching(ns, cmd).slice(skip), position: 0, limit };
    const size = cmd.batchSize === undefined ? MAX_DEFAULT_FIRST_BATCH : Number(cmd.batchSize) || Infinity;
    return cursorAnswer(cursor, 'firstBatch', size, null);
  }

  function getMore(cmd: Document): Buffer {
    const id = BigInt(cmd.getMore as bigint);
    const cursor = cursors.get(id);
    if (!cursor) throw new CommandError(43, 'CursorNotFound', `cursor id ${id} not found`);
    return cursorAnswer(cursor, 'nextBatch', cmd.batchSize === undefined ? Infinity : Number(cmd.batchSize), id);
  }

  function insert(db: string, request: Request): Document {
    const docs = request.sequences.get('documents') ?? ((request.command.documents as Document[] | undefined) ?? []).map((d) => serialize(d));
    const target = collection(`${db}.${String(request.command.insert)}`);
    changed(`${db}.${String(request.command.insert)}`);
    for (const raw of docs) {
      const doc = decode(raw);
      target.push(doc._id === undefined ? serialize({ _id: new ObjectId(), ...doc }) : Buffer.from(raw));
    }
    return { n: docs.length, ok: 1 };
  }

  function listCollections(db: string, cmd: Document): Buffer {
    const prefix = `${db}.`;
    const test = matcher(cmd.filter as Document | undefined);
    const infos = [...store.keys()].filter((ns) => ns.startsWith(prefix))
      .map((ns) => ({ name: ns.slice(prefix.length), type: 'collection', options: {}, info: { readOnly: false } }))
      .filter((info) => test(info));
    return cursorReply('firstBatch', infos.map((info) => serialize(info)), 0n, `${db}.$cmd.listCollections`);
  }

  function hello(cmd: Document, connectionId: number): Document {
    const reply: Document = {
      helloOk: true, isWritablePrimary: true, ismaster: true, maxBsonObjectSize: 16 * 1024 * 1024,
      maxMessageSizeBytes: 48_000_000, maxWriteBatchSize: 100_000, localTime: new Date(), logicalSessionTimeoutMinutes: 30,
      connectionId, minWireVersion: 0, maxWireVersion: 21, readOnly: false, ok: 1,
    };
    if (typeof cmd.saslSupportedMechs === 'string' && passwords.size > 0) reply.saslSupportedMechs = ['SCRAM-SHA-256'];
    return reply;
  }

  function handle(request: Request, socket: Socket & { conversation?: ScramConversation; authenticated?: boolean; connectionId: number }): Buffer | Document | null {
    const cmd = request.command;
    const name = Object.keys(cmd)[0] ?? '';
    const lower = name.toLowerCase();
    const db = String(cmd.$db ?? 'admin');
    commands.push(cmd);
    if (passwords.size > 0 && !socket.authenticated && !OPEN_COMMANDS.has(lower)) {
      throw new CommandError(13, 'Unauthorized', `command ${name} requires authentication`);
    }
    switch (lower) {
      case 'hello': case 'ismaster': return hello(cmd, socket.connectionId);
      case 'ping': case 'endsessions': case 'killallsessions': return { ok: 1 };
      case 'buildinfo': return { version: '7.0.0', versionArray: [7, 0, 0, 0], ok: 1 };
      case 'saslstart': {
        socket.conversation = new ScramConversation(passwords);
        const payload = socket.conversation.start(Buffer.from((cmd.payload as Binary).buffer));
        return { conversationId: 1, done: false, payload: new Binary(Buffer.from(payload)), ok: 1 };
      }
      case 'saslcontinue': {
        const answer = socket.conversation?.finish(Buffer.from((cmd.payload as Binary).buffer)) ?? null;
        if (answer === null) throw new CommandError(18, 'AuthenticationFailed', 'Authentication failed.');
        socket.authenticated = true;
        return { conversationId: 1, done: true, payload: new Binary(Buffer.from(answer)), ok: 1 };
      }
      case 'find': return state.silent ? null : find(db, cmd);
      case 'getmore': return state.silent ? null : getMore(cmd);
      case 'killcursors': {
        const ids = (cmd.cursors as bigint[]).map((id) => BigInt(id));
        for (const id of ids) cursors.delete(id);
        return { cursorsKilled: ids.map((id) => Long.fromBigInt(id)), cursorsNotFound: [], cursorsAlive: [], cursorsUnknown: [], ok: 1 };
      }
      case 'insert': return insert(db, request);
      case 'listcollections': return listCollections(db, cmd);
      case 'drop':
        store.delete(`${db}.${String(cmd.drop)}`);
        changed(`${db}.${String(cmd.drop)}`);
        return { ok: 1 };
      case 'dropdatabase':
        for (const ns of [...store.keys()]) if (ns.startsWith(`${db}.`)) {
          store.delete(ns);
          changed(ns);
        }
        return { ok: 1 };
      default: throw new CommandError(59, 'CommandNotFound', `no such command: '${name}'`);
    }
  }

  function serve(socket: Socket & { connectionId: number }, message: Buffer): void {
    const request = parseMessage(message);
    let body: Buffer | null;
    try {
      const answer = handle(request, socket);
      body = answer === null ? null : Buffer.isBuffer(answer) ? answer : serialize(answer);
    } catch (error) {
      const failure = error instanceof CommandError ? error : new CommandError(1, 'InternalError', (error as Error).message);
      body = serialize({ ok: 0, errmsg: failure.message, code: failure.code, codeName: failure.codeName });
    }
    if (body === null || (request.flags & MORE_TO_COME) !== 0) return;
    socket.write(replyMessage(request, body, nextRequest++));
  }

  const server: Server = createServer((plain) => {
    const socket = Object.assign(plain, { connectionId: ++connectionIds });
    sockets.add(socket);
    let pending: Buffer = Buffer.alloc(0);
    socket.on('data', (chunk: Buffer) => {
      pending = pending.length === 0 ? chunk : Buffer.concat([pending, chunk]);
      while (pending.length >= 4 && pending.length >= pending.readInt32LE(0)) {
        const size = pending.readInt32LE(0);
        serve(socket, pending.subarray(0, size));
        pending = pending.subarray(size);
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    uri: `mongodb://127.0.0.1:${port}/?directConnection=true`,
    commands,
    get silent() { return state.silent; },
    set silent(value: boolean) { state.silent = value; },
    load: (db, name, docs) => {
      changed(`${db}.${name}`);
      for (const doc of docs) collection(`${db}.${name}`).push(doc);
    },
    documents: (db, name) => (store.get(`${db}.${name}`) ?? []).map(decode),
    async stop() {
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

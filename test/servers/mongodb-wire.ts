import { BSON, Long, type Document } from 'bson';

/** Wire protocol op codes the driver uses. */
export const OP = { REPLY: 1, QUERY: 2004, MSG: 2013 } as const;

const CHECKSUM_PRESENT = 1;
export const MORE_TO_COME = 2;

/** One request: its header fields and its command (kind-1 sections merged in as raw documents). */
export interface Request {
  readonly requestId: number;
  readonly opCode: number;
  readonly flags: number;
  readonly command: Document;
  /** Kind-1 sections: identifier -> raw documents. */
  readonly sequences: Map<string, Buffer[]>;
}

/** Splits the raw documents of a byte range (a kind-1 section). */
function rawDocuments(buf: Buffer, start: number, end: number): Buffer[] {
  const docs: Buffer[] = [];
  for (let at = start; at < end; at += buf.readInt32LE(at)) docs.push(buf.subarray(at, at + buf.readInt32LE(at)));
  return docs;
}

/** Parses one whole message (header included). */
export function parseMessage(msg: Buffer): Request {
  const requestId = msg.readInt32LE(4);
  const opCode = msg.readInt32LE(12);
  if (opCode === OP.QUERY) {
    let at = 20;
    while (msg[at] !== 0) at++;
    at += 9; // NUL, numberToSkip, numberToReturn
    const command = BSON.deserialize(msg.subarray(at, at + msg.readInt32LE(at)));
    return { requestId, opCode, flags: msg.readInt32LE(16), command, sequences: new Map() };
  }
  if (opCode !== OP.MSG) throw new Error(`op code ${opCode} is not served`);
  const flags = msg.readUInt32LE(16);
  const end = msg.length - (flags & CHECKSUM_PRESENT ? 4 : 0);
  let command: Document = {};
  const sequences = new Map<string, Buffer[]>();
  for (let at = 20; at < end;) {
    const kind = msg[at++];
    const size = msg.readInt32LE(at);
    if (kind === 0) command = BSON.deserialize(msg.subarray(at, at + size), { useBigInt64: true });
    else {
      let nameEnd = at + 4;
      while (msg[nameEnd] !== 0) nameEnd++;
      sequences.set(msg.toString('utf8', at + 4, nameEnd), rawDocuments(msg, nameEnd + 1, at + size));
    }
    at += size;
  }
  return { requestId, opCode, flags, command, sequences };
}

/** The reply to `request` carrying `body` (raw BSON), as OP_REPLY to OP_QUERY, else OP_MSG. */
export function replyMessage(request: Request, body: Buffer, requestId: number): Buffer {
  const legacy = request.opCode === OP.QUERY;
  const head = Buffer.alloc(legacy ? 36 : 21);
  head.writeInt32LE(head.length + body.length, 0);
  head.writeInt32LE(requestId, 4);
  head.writeInt32LE(request.requestId, 8);
  head.writeInt32LE(legacy ? OP.REPLY : OP.MSG, 12);
  if (legacy) head.writeInt32LE(1, 32); // numberReturned; flags, cursor id, startingFrom stay 0
  else head[20] = 0; // flags 0, then section kind 0
  return Buffer.concat([head, body]);
}

function cstring(name: string): Buffer {
  return Buffer.concat([Buffer.from(name, 'utf8'), Buffer.from([0])]);
}

function element(type: number, name: string, value: Buffer): Buffer {
  return Buffer.concat([Buffer.from([type]), cstring(name), value]);
}

function documentOf(elements: Buffer[]): Buffer {
  const body = Buffer.concat([...elements, Buffer.from([0])]);
  const size = Buffer.alloc(4);
  size.writeInt32LE(body.length + 4);
  return Buffer.concat([size, body]);
}

/**
 * A cursor reply built around the stored documents' own bytes, without decoding them again:
 * {cursor: {firstBatch|nextBatch: [...], id, ns}, ok: 1}.
 */
export function cursorReply(batchName: 'firstBatch' | 'nextBatch', docs: readonly Buffer[], id: bigint, ns: string): Buffer {
  const array = documentOf(docs.map((doc, i) => element(0x03, String(i), doc)));
  const idBytes = Buffer.alloc(8);
  idBytes.writeBigInt64LE(id);
  const nsBytes = Buffer.from(BSON.serialize({ ns })).subarray(4, -1); // the element itself
  const cursor = documentOf([element(0x04, batchName, array), element(0x12, 'id', idBytes), nsBytes]);
  const ok = Buffer.alloc(8);
  ok.writeDoubleLE(1);
  return documentOf([element(0x03, 'cursor', cursor), element(0x01, 'ok', ok)]);
}

export function serialize(doc: Document): Buffer {
  return Buffer.from(BSON.serialize(doc));
}

export { Long };

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




/**
 * A cursor reply built around the stored documents' own bytes, without decoding them again:
 * {cursor: {firstBatch|nextBatch: [...], id, ns}, ok: 1}, written into one buffer.
 */
export function cursorReply(batchName: 'firstBatch' | 'nextBatch', docs: readonly Buffer[], id: bigint, ns: string): Buffer {
  const indexes = docs.map((_, i) => String(i));
  const arraySize = 4 + docs.reduce((sum, doc, i) => sum + 2 + indexes[i].length + doc.length, 0) + 1;
  const nsBytes = Buffer.from(ns, 'utf8');
  const cursorSize = 4 + (2 + batchName.length + arraySize) + (1 + 3 + 8) + (1 + 3 + 4 + nsBytes.length + 1) + 1;
  const total = 4 + (1 + 7 + cursorSize) + (1 + 3 + 8) + 1;
  const out = Buffer.alloc(total);
  let at = out.writeInt32LE(total, 0);
  const name = (type: number, text: string): void => {
    out[at++] = type;
    at += out.write(text, at, 'latin1');
    out[at++] = 0;
  };
  name(0x03, 'cursor');
  at = out.writeInt32LE(cursorSize, at);
  name(0x04, batchName);
  at = out.writeInt32LE(arraySize, at);
  docs.forEach((doc, i) => {
    name(0x03, indexes[i]);
    at += doc.copy(out, at);
  });
  out[at++] = 0;
  name(0x12, 'id');
  at = out.writeBigInt64LE(id, at);
  name(0x02, 'ns');
  at = out.writeInt32LE(nsBytes.length + 1, at);
  at += nsBytes.copy(out, at);
  out[at++] = 0;
  out[at++] = 0;
  name(0x01, 'ok');
  at = out.writeDoubleLE(1, at);
  out[at++] = 0;
  if (at !== total) throw new Error(`cursor reply of ${at} bytes, ${total} planned`);
  return out;
}

export function serialize(doc: Document): Buffer {
  return Buffer.from(BSON.serialize(doc));
}

export { Long };

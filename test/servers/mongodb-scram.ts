import { createHash, createHmac, pbkdf2Sync, randomBytes, timingSafeEqual } from 'node:crypto';

const ITERATIONS = 4096;

/** The server's side of one SCRAM-SHA-256 conversation (RFC 5802 / 7677), as mongod runs it. */
export class ScramConversation {
  private clientFirstBare = '';
  private serverFirst = '';
  private user = '';
  private readonly salt = randomBytes(16);

  constructor(private readonly passwords: ReadonlyMap<string, string>) {}

  /** saslStart: the client's first message -> the server's first message. */
  start(payload: Buffer): string {
    this.clientFirstBare = payload.toString('utf8').replace(/^n,,/, '');
    const fields = parseFields(this.clientFirstBare);
    this.user = (fields.n ?? '').replace(/=2C/g, ',').replace(/=3D/g, '=');
    this.serverFirst = `r=${fields.r}${randomBytes(18).toString('base64')},s=${this.salt.toString('base64')},i=${ITERATIONS}`;
    return this.serverFirst;
  }

  /** saslContinue: the client's proof -> the server's signature, or null when the proof is wrong. */
  finish(payload: Buffer): string | null {
    const password = this.passwords.get(this.user);
    if (password === undefined) return null;
    const clientFinal = payload.toString('utf8');
    const withoutProof = clientFinal.replace(/,p=[^,]*$/, '');
    const proof = Buffer.from(parseFields(clientFinal).p ?? '', 'base64');
    const salted = pbkdf2Sync(password.normalize('NFKC'), this.salt, ITERATIONS, 32, 'sha256');
    const clientKey = hmac(salted, 'Client Key');
    const storedKey = createHash('sha256').update(clientKey).digest();
    const authMessage = `${this.clientFirstBare},${this.serverFirst},${withoutProof}`;
    const expected = Buffer.from(clientKey.map((byte, i) => byte ^ hmac(storedKey, authMessage)[i]));
    if (proof.length !== expected.length || !timingSafeEqual(proof, expected)) return null;
    return `v=${hmac(hmac(salted, 'Server Key'), authMessage).toString('base64')}`;
  }
}

function hmac(key: Buffer, text: string): Buffer {
  return createHmac('sha256', key).update(text).digest();
}

function parseFields(message: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const part of message.split(',')) {
    const eq = part.indexOf('=');
    if (eq > 0) out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

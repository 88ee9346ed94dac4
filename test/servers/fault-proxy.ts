import { createConnection, createServer, type AddressInfo, type Socket } from 'node:net';

/** What the proxy does to connections once a byte count is reached. */
export type Fault =
  /** Destroy every open connection (both sides), as a dropped network or a dead server does. */
  | 'cut'
  /** Stop forwarding on every open connection without closing it: a peer that went silent. */
  | 'stall';

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  stalled: boolean;
}

export interface FaultProxyOptions {
  readonly targetPort: number;
  readonly targetHost?: string;
}

/**
 * A TCP proxy on 127.0.0.1 between a client and a server, for fault tests: it forwards bytes
 * untouched until told to cut or stall the connections, when a given number of bytes has passed
 * in one direction (so the fault lands mid-transfer, at the same point on every run).
 */
export class FaultProxy {
  private readonly server = createServer((client) => this.accept(client));
  private readonly pairs = new Set<Pair>();
  private bytesUp = 0;
  private bytesDown = 0;
  private triggers: { direction: 'up' | 'down'; bytes: number; action: () => void }[] = [];
  /** Connections accepted in all. */
  accepted = 0;
  /** New connections are closed at once (a server that stays down). */
  refuseNew = false;
  /** New connections are accepted and never forwarded (a server that hangs). */
  stallNew = false;

  private constructor(private readonly options: FaultProxyOptions) {}

  static async start(options: FaultProxyOptions): Promise<FaultProxy> {
    const proxy = new FaultProxy(options);
    await new Promise<void>((resolve) => proxy.server.listen(0, '127.0.0.1', resolve));
    return proxy;
  }

  get port(): number {
    return (this.server.address() as AddressInfo).port;
  }

  /** The local ports of the proxy's connections to the server: how the server names them. */
  upstreamPorts(): number[] {
    return [...this.pairs].map((pair) => pair.upstream.localPort).filter((port): port is number => port !== undefined);
  }

  /**
   * Runs `action` once, when `bytes` more have passed server -> client ('down') or
   * client -> server ('up') than so far.
   */
  after(direction: 'up' | 'down', bytes: number, action: () => void): void {
    const base = direction === 'up' ? this.bytesUp : this.bytesDown;
    this.triggers.push({ direction, bytes: base + bytes, action });
  }

  fault(kind: Fault): void {
    for (const pair of this.pairs) {
      if (kind === 'cut') this.close(pair);
      else this.stallPair(pair);
    }
  }

  private accept(client: Socket): void {
    this.accepted++;
    if (this.refuseNew) {
      client.destroy();
      return;
    }
    const upstream = createConnection({ host: this.options.targetHost ?? '127.0.0.1', port: this.options.targetPort });
    const pair: Pair = { client, upstream, stalled: this.stallNew };
    this.pairs.add(pair);
    client.on('data', (chunk: Buffer) => this.forward(pair, 'up', chunk));
    upstream.on('data', (chunk: Buffer) => this.forward(pair, 'down', chunk));
    for (const socket of [client, upstream]) {
      socket.on('error', () => this.close(pair));
      socket.on('close', () => this.close(pair));
    }
  }

  private forward(pair: Pair, direction: 'up' | 'down', chunk: Buffer): void {
    if (pair.stalled) return;
    (direction === 'up' ? pair.upstream : pair.client).write(chunk);
    if (direction === 'up') this.bytesUp += chunk.length;
    else this.bytesDown += chunk.length;
    const passed = direction === 'up' ? this.bytesUp : this.bytesDown;
    const due = this.triggers.filter((t) => t.direction === direction && passed >= t.bytes);
    this.triggers = this.triggers.filter((t) => !due.includes(t));
    for (const trigger of due) trigger.action();
  }

  /** Reads on (so the peers' writes do not block) but forwards nothing more. */
  private stallPair(pair: Pair): void {
    pair.stalled = true;
  }

  private close(pair: Pair): void {
    if (!this.pairs.delete(pair)) return;
    pair.client.destroy();
    pair.upstream.destroy();
  }

  async stop(): Promise<void> {
    for (const pair of [...this.pairs]) this.close(pair);
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

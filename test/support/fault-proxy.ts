import { createServer, Socket, type AddressInfo, type Server } from 'node:net';

/** How the proxy treats traffic. */
export type FaultMode =
  /** Forward everything. */
  | { readonly kind: 'pass' }
  /** Nothing listens: connecting is refused. */
  | { readonly kind: 'refuse' }
  /** Connections are accepted and bytes swallowed: nothing arrives, nothing answers. */
  | { readonly kind: 'blackhole' }
  /** Every connection, open or new, is reset. */
  | { readonly kind: 'reset' }
  /** Every chunk, either way, is held this long. */
  | { readonly kind: 'latency'; readonly ms: number }
  /** The upstream's answer is cut after this many bytes of each connection, then it is closed. */
  | { readonly kind: 'closeAfterBytes'; readonly bytes: number };

interface Pair {
  readonly client: Socket;
  readonly upstream: Socket;
  answered: number;
}

/**
 * A TCP proxy that injects network faults between our services and Redis, Postgres or Evolution,
 * in the spirit of Toxiproxy (which is not installable here): refuse, blackhole, reset, latency,
 * close after N bytes. The listening port stays the same across modes.
 */
export class FaultProxy {
  private server: Server | undefined;
  private portNumber = 0;
  private mode: FaultMode = { kind: 'pass' };
  private readonly pairs = new Set<Pair>();

  constructor(
    private readonly targetHost: string,
    private readonly targetPort: number,
  ) {}

  get port(): number {
    return this.portNumber;
  }

  get url(): string {
    return `127.0.0.1:${this.portNumber}`;
  }

  async start(): Promise<void> {
    if (this.server) return;
    const server = createServer((client) => this.accept(client));
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.portNumber, '127.0.0.1', () => resolve());
    });
    this.portNumber = (server.address() as AddressInfo).port;
    this.server = server;
  }

  /** Changes the mode; connections already open follow it (and are reset when it says so). */
  async setMode(mode: FaultMode): Promise<void> {
    this.mode = mode;
    if (mode.kind === 'reset' || mode.kind === 'refuse') this.resetAll();
    if (mode.kind === 'refuse') await this.closeListener();
    else await this.start();
  }

  /** Resets every open connection, as a crashed or restarted server would. */
  resetAll(): void {
    for (const pair of this.pairs) {
      pair.client.resetAndDestroy();
      pair.upstream.resetAndDestroy();
    }
    this.pairs.clear();
  }

  async stop(): Promise<void> {
    this.resetAll();
    await this.closeListener();
  }

  private async closeListener(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (server) await new Promise<void>((resolve) => server.close(() => resolve()));
  }

  private accept(client: Socket): void {
    if (this.mode.kind === 'reset') {
      client.resetAndDestroy();
      return;
    }
    const upstream = new Socket();
    const pair: Pair = { client, upstream, answered: 0 };
    this.pairs.add(pair);
    const drop = (): void => {
      this.pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    client.on('close', drop);
    upstream.on('close', drop);
    upstream.connect(this.targetPort, this.targetHost);
    client.on('data', (chunk: Buffer) => this.forward(chunk, upstream));
    upstream.on('data', (chunk: Buffer) => {
      if (this.mode.kind === 'closeAfterBytes') {
        const room = this.mode.bytes - pair.answered;
        if (room <= 0) return drop();
        pair.answered += Math.min(room, chunk.length);
        this.forward(chunk.subarray(0, room), client);
        if (chunk.length >= room) setImmediate(drop);
        return;
      }
      this.forward(chunk, client);
    });
  }

  private forward(chunk: Buffer, to: Socket): void {
    const mode = this.mode;
    if (mode.kind === 'blackhole') return;
    if (mode.kind === 'latency') {
      setTimeout(() => {
        if (!to.destroyed) to.write(chunk);
      }, mode.ms);
      return;
    }
    if (!to.destroyed) to.write(chunk);
  }
}

import net from 'node:net';
import type { AddressInfo } from 'node:net';

/**
 * A receiver that accepts TCP connections and never answers — the endpoint that used to hold every
 * delivery slot. It counts the connections open at once, so a test can see how many POSTs to it
 * were in flight.
 */
export class BlackHoleServer {
  /** Connections open now. */
  open = 0;
  /** The most connections ever open at once. */
  maxOpen = 0;
  /** Connections accepted in all. */
  accepted = 0;
  private readonly sockets = new Set<net.Socket>();
  private readonly server: net.Server;
  private port = 0;

  private constructor() {
    this.server = net.createServer((socket) => {
      this.accepted += 1;
      this.open += 1;
      this.maxOpen = Math.max(this.maxOpen, this.open);
      this.sockets.add(socket);
      // Read and drop the request; never write a byte back.
      socket.resume();
      socket.on('error', () => undefined);
      socket.on('close', () => {
        this.open -= 1;
        this.sockets.delete(socket);
      });
    });
  }

  static async start(): Promise<BlackHoleServer> {
    const hole = new BlackHoleServer();
    await new Promise<void>((resolve) => hole.server.listen(0, '127.0.0.1', resolve));
    hole.port = (hole.server.address() as AddressInfo).port;
    return hole;
  }

  url(path: string): string {
    return `http://127.0.0.1:${this.port}${path}`;
  }

  async close(): Promise<void> {
    for (const socket of this.sockets) socket.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

import { createServer, type Server } from 'node:http';
import type { Express } from 'express';

export interface ListenOptions {
  /** The most bytes of request line and headers; Node's default is 16 KiB. */
  readonly maxHeaderSize?: number;
}

/**
 * Starts listening and resolves once the port is bound; rejects if it cannot be (a port taken, a
 * host not this machine's), so a service fails to start with the reason rather than later.
 */
export function listen(
  app: Express,
  port: number,
  host: string,
  options: ListenOptions = {},
): Promise<Server> {
  return new Promise((resolve, reject) => {
    const server = createServer(options.maxHeaderSize ? { maxHeaderSize: options.maxHeaderSize } : {}, app);
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve(server);
    });
    // Billing systems reuse connections; keep them a little longer than a typical LB's idle timeout.
    server.keepAliveTimeout = 65_000;
    server.headersTimeout = 66_000;
  });
}

/** Stops accepting connections, closes idle ones, and resolves when in-flight requests are done. */
export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve, reject) => {
    server.close((error) => (error ? reject(error) : resolve()));
    server.closeIdleConnections();
  });
}

import type { Server } from 'node:http';
import type { Express } from 'express';

/**
 * Starts listening and resolves once the port is bound; rejects if it cannot be (a port taken, a
 * host not this machine's), so a service fails to start with the reason rather than later.
 */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
    // Express calls back on 'error' too, with the error.
    const server = app.listen(port, host, (error?: Error) => (error ? reject(error) : resolve(server)));
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

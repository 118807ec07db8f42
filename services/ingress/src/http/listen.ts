import type { Server } from 'node:http';
import type { Express } from 'express';

/** Starts listening and resolves once the port is bound (rejects if it cannot be). */
export function listen(app: Express, port: number, host: string): Promise<Server> {
  return new Promise((resolve, reject) => {
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

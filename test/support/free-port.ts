import { createServer } from 'node:net';

/**
 * Ports handed to services a test starts, below Linux's ephemeral range (32768–60999): a port the
 * OS picked and freed again can be taken by any outgoing connection's local end (a database pool
 * opening, a proxy dialling) before the service binds it, and the service then fails to start.
 */
const SERVICE_PORTS = { first: 20_000, count: 12_000 } as const;

/** Where this process looks next: spread by pid, so parallel jest workers start far apart. */
let nextOffset = (process.pid * 97) % SERVICE_PORTS.count;

/** Whether the port can be bound on loopback now (it is then released). */
function bindable(port: number): Promise<boolean> {
  const server = createServer();
  return new Promise<boolean>((resolve) => {
    server.once('error', () => resolve(false));
    server.listen(port, '127.0.0.1', () => server.close(() => resolve(true)));
  });
}

/**
 * A TCP port free on loopback right now, for a service a test starts. Each call of a process takes
 * the next port from where the last left off (the first from one of its own, by pid), so neither
 * concurrent calls nor parallel test processes are likely to be handed the same one.
 */
export async function freePort(): Promise<number> {
  for (let tried = 0; tried < SERVICE_PORTS.count; tried += 1) {
    // Taken before the check, so concurrent calls of this process never try the same port.
    const port = SERVICE_PORTS.first + nextOffset;
    nextOffset = (nextOffset + 1) % SERVICE_PORTS.count;
    if (await bindable(port)) return port;
  }
  throw new Error('no free port below the ephemeral range');
}

/**
 * A port free on loopback whose next port is free too, for `telenexus start`, which gives the
 * dispatcher the metrics port after ingress's.
 */
export async function freePortPair(): Promise<number> {
  for (;;) {
    const port = await freePort();
    if (await bindable(port + 1)) return port;
  }
}

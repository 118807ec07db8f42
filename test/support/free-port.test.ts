import { createServer } from 'node:net';
import { freePort } from './free-port';

describe('Ports for the services a test starts', () => {
  it('When several are asked for at once, then each is different, below the ephemeral range, and can be bound', async () => {
    const ports = await Promise.all(Array.from({ length: 6 }, () => freePort()));

    expect(new Set(ports).size).toBe(ports.length);
    for (const port of ports) {
      expect(port).toBeGreaterThanOrEqual(20_000);
      expect(port).toBeLessThan(32_768);
    }
    const servers = ports.map(() => createServer());
    await Promise.all(
      servers.map(
        (server, index) =>
          new Promise<void>((resolve, reject) => {
            server.once('error', reject);
            server.listen(ports[index], '127.0.0.1', resolve);
          }),
      ),
    );
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
  });

  it('When the next port is taken, then it is passed over', async () => {
    const taken = await freePort();
    const holder = createServer();
    await new Promise<void>((resolve, reject) => {
      holder.once('error', reject);
      holder.listen(taken + 1, '127.0.0.1', resolve);
    });
    try {
      expect(await freePort()).not.toBe(taken + 1);
    } finally {
      await new Promise((resolve) => holder.close(resolve));
    }
  });
});

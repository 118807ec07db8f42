import { once } from 'node:events';
import { request as httpRequest, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import { concurrencyLimit } from './concurrency-limit';

/** A promise with its resolver, keyed by request id. */
class Signals {
  private readonly entries = new Map<string, { promise: Promise<void>; resolve: () => void }>();

  private entry(id: string) {
    let entry = this.entries.get(id);
    if (!entry) {
      let resolve!: () => void;
      const promise = new Promise<void>((done) => (resolve = done));
      entry = { promise, resolve };
      this.entries.set(id, entry);
    }
    return entry;
  }

  wait(id: string): Promise<void> {
    return this.entry(id).promise;
  }

  fire(id: string): void {
    this.entry(id).resolve();
  }
}

/** An app whose route is held until the test releases it, recording which requests got through. */
async function heldApp(limit: number) {
  const arrived = new Signals();
  const gone = new Signals();
  const started = new Signals();
  const release = new Signals();
  const order: string[] = [];
  const app = express();
  app.use((request, response, next) => {
    const id = String(request.headers['x-id']);
    response.once('close', () => gone.fire(id));
    arrived.fire(id);
    next();
  });
  app.use(concurrencyLimit(limit));
  app.post('/work', (request, response) => {
    const id = String(request.headers['x-id']);
    order.push(id);
    started.fire(id);
    void release.wait(id).then(() => response.json({ id }));
  });
  const server: Server = app.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as AddressInfo;

  const send = (id: string) => {
    const client = httpRequest({
      port,
      host: '127.0.0.1',
      method: 'POST',
      path: '/work',
      headers: { 'x-id': id },
    });
    const answered = new Promise<number>((resolve, reject) => {
      client.on('response', (response) => {
        response.resume();
        response.on('end', () => resolve(response.statusCode ?? 0));
      });
      client.on('error', reject);
    });
    client.end();
    return { client, answered };
  };
  return { arrived, gone, started, release, order, send, close: () => server.close() };
}

/** Runs a test against a held app, closing it whatever happens. */
async function withHeldApp(limit: number, test: (app: Awaited<ReturnType<typeof heldApp>>) => Promise<void>) {
  const app = await heldApp(limit);
  try {
    await test(app);
  } finally {
    app.close();
  }
}

describe('concurrencyLimit', () => {
  it('When the limit is reached, then the next request waits until one before it has answered', () =>
    withHeldApp(1, async (app) => {
      const a = app.send('A');
      await app.started.wait('A');
      const b = app.send('B');
      await app.arrived.wait('B');
      expect(app.order).toEqual(['A']);

      app.release.fire('A');
      expect(await a.answered).toBe(200);
      await app.started.wait('B');
      expect(app.order).toEqual(['A', 'B']);
      app.release.fire('B');
      expect(await b.answered).toBe(200);
    }));

  it('When a waiting client goes away, then its turn passes to the next request', () =>
    withHeldApp(1, async (app) => {
      const a = app.send('A');
      await app.started.wait('A');
      const b = app.send('B');
      b.answered.catch(() => undefined);
      await app.arrived.wait('B');
      b.client.destroy();
      await app.gone.wait('B');
      const c = app.send('C');
      await app.arrived.wait('C');

      app.release.fire('A');
      await a.answered;
      await app.started.wait('C');
      app.release.fire('C');
      expect(await c.answered).toBe(200);
      expect(app.order).toEqual(['A', 'C']);
    }));

  it('When under the limit, then requests go through side by side', () =>
    withHeldApp(2, async (app) => {
      const a = app.send('A');
      const b = app.send('B');
      await Promise.all([app.started.wait('A'), app.started.wait('B')]);
      expect([...app.order].sort()).toEqual(['A', 'B']);
      app.release.fire('A');
      app.release.fire('B');
      expect(await Promise.all([a.answered, b.answered])).toEqual([200, 200]);
    }));
});

import request from 'supertest';
import { createEvolutionSandbox, type EvolutionSandbox } from '../src';

describe('Sandbox: control routes (/__sandbox)', () => {
  let sandbox: EvolutionSandbox;
  let clock = Date.parse('2026-02-27T04:00:00.000Z');

  // Each test owns a fresh sandbox: reset is itself under test, and the ledger is shared state.
  beforeEach(() => {
    sandbox = createEvolutionSandbox({
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
      now: () => clock,
    });
  });

  afterEach(async () => {
    await sandbox.close();
  });

  const send = (instance: string, number = '254712345678', text = 'hi') =>
    request(sandbox.app)
      .post(`/message/sendText/${instance}`)
      .set('apikey', sandbox.globalApiKey)
      .send({ number, text });

  describe('instances', () => {
    it('When an instance is created without apikey, then it is open and listed', async () => {
      const created = await request(sandbox.app)
        .post('/__sandbox/instances')
        .send({ name: 'billing01', token: 't-1' });
      const listed = await request(sandbox.app).get('/__sandbox/instances');

      expect(created.status).toBe(201);
      expect(created.body).toMatchObject({
        name: 'billing01',
        token: 't-1',
        state: 'open',
        everConnected: true,
        webhook: null,
      });
      expect(listed.body).toEqual([created.body]);
    });

    it('When the name is taken, then the answer is 409 with a detail', async () => {
      await request(sandbox.app).post('/__sandbox/instances').send({ name: 'billing01' });
      const again = await request(sandbox.app).post('/__sandbox/instances').send({ name: 'billing01' });
      expect(again.status).toBe(409);
      expect(again.body).toEqual({ detail: 'Instance "billing01" already exists' });
    });

    it('When the state is invalid, then the answer is 400', async () => {
      const response = await request(sandbox.app)
        .post('/__sandbox/instances')
        .send({ name: 'x', state: 'asleep' });
      expect(response.status).toBe(400);
    });

    it('When the state is changed, then Evolution reports the new state', async () => {
      await request(sandbox.app).post('/__sandbox/instances').send({ name: 'billing01' });
      const changed = await request(sandbox.app)
        .put('/__sandbox/instances/billing01/state')
        .send({ state: 'connecting' });
      const seen = await request(sandbox.app)
        .get('/instance/connectionState/billing01')
        .set('apikey', sandbox.globalApiKey);

      expect(changed.body).toMatchObject({ name: 'billing01', state: 'connecting' });
      expect(seen.body).toEqual({ instance: { instanceName: 'billing01', state: 'connecting' } });
    });

    it('When an unknown instance is addressed, then the answer is 404', async () => {
      const response = await request(sandbox.app)
        .put('/__sandbox/instances/ghost/state')
        .send({ state: 'open' });
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'The "ghost" instance does not exist' });
    });
  });

  describe('the ledger', () => {
    it('When messages are sent, then deliveries lists them with id, instance, number, text and receivedAt', async () => {
      sandbox.createInstance({ name: 'a' });
      sandbox.createInstance({ name: 'b' });
      const first = await send('a', '254700000001', 'one');
      clock += 1000;
      await send('b', '254700000002', 'two');
      clock += 1000;
      await send('a', '254700000003', 'three');

      const all = await request(sandbox.app).get('/__sandbox/deliveries');
      const onlyA = await request(sandbox.app).get('/__sandbox/deliveries').query({ instance: 'a' });
      const recent = await request(sandbox.app)
        .get('/__sandbox/deliveries')
        .query({ since: clock - 1000 });
      const count = await request(sandbox.app).get('/__sandbox/deliveries/count').query({ instance: 'a' });

      const entries = all.body as unknown[];
      expect(entries).toHaveLength(3);
      expect(entries[0]).toEqual({
        id: (first.body as { key: { id: string } }).key.id,
        instance: 'a',
        number: '254700000001',
        text: 'one',
        receivedAt: clock - 2000,
      });
      expect((onlyA.body as { text: string }[]).map((entry) => entry.text)).toEqual(['one', 'three']);
      expect((recent.body as { text: string }[]).map((entry) => entry.text)).toEqual(['two', 'three']);
      expect(count.body).toEqual({ count: 2 });
    });

    it('When since is not a number, then the answer is 400', async () => {
      const response = await request(sandbox.app).get('/__sandbox/deliveries').query({ since: 'yesterday' });
      expect(response.status).toBe(400);
    });
  });

  describe('numbers and faults', () => {
    it('When numbers are marked and unmarked, then sends follow the list', async () => {
      sandbox.createInstance({ name: 'a' });
      const marked = await request(sandbox.app)
        .post('/__sandbox/not-on-whatsapp')
        .send({ numbers: ['+254 700 000 004'] });
      const refused = await send('a', '254700000004');
      await request(sandbox.app).delete('/__sandbox/not-on-whatsapp/254700000004');
      const accepted = await send('a', '254700000004');

      expect(marked.body).toEqual({ numbers: ['254700000004'] });
      expect(refused.status).toBe(400);
      expect(accepted.status).toBe(201);
    });

    it('When faults are queued with a count, then that many sends fail in order, then sends succeed', async () => {
      sandbox.createInstance({ name: 'a' });
      const queued = await request(sandbox.app)
        .post('/__sandbox/faults')
        .send({
          faults: [
            { kind: 'http500', count: 2 },
            { kind: 'rateLimit429', retryAfterSeconds: 9 },
          ],
        });

      const statuses: number[] = [];
      let retryAfter: string | undefined;
      for (let index = 0; index < 4; index += 1) {
        const response = await send('a');
        statuses.push(response.status);
        retryAfter ??= response.get('retry-after');
      }

      expect(queued.body).toEqual({ queued: 3 });
      expect(statuses).toEqual([500, 500, 429, 201]);
      expect(retryAfter).toBe('9');
      expect(sandbox.deliveryCount()).toBe(1);
    });

    it('When a fault kind is unknown, then the answer is 400 and nothing is queued', async () => {
      const response = await request(sandbox.app)
        .post('/__sandbox/faults')
        .send([{ kind: 'meteorStrike' }]);
      expect(response.status).toBe(400);
      expect(sandbox.faults().queue).toEqual([]);
    });

    it('When probabilities are set and cleared, then the fault state reflects it', async () => {
      const set = await request(sandbox.app).put('/__sandbox/faults/probabilities').send({ http500: 0.25 });
      const bad = await request(sandbox.app).put('/__sandbox/faults/probabilities').send({ http500: 2 });
      await request(sandbox.app).delete('/__sandbox/faults').expect(204);
      const after = await request(sandbox.app).get('/__sandbox/faults');

      expect(set.body).toEqual({ queue: [], probabilities: { http500: 0.25 } });
      expect(bad.status).toBe(400);
      expect(after.body).toEqual({ queue: [], probabilities: {} });
    });

    it('When every send is doomed by probability, then every send fails', async () => {
      sandbox.createInstance({ name: 'a' });
      await request(sandbox.app).put('/__sandbox/faults/probabilities').send({ connectionClosed500: 1 });
      expect((await send('a')).body).toMatchObject({
        status: 500,
        response: { message: 'Connection Closed' },
      });
    });
  });

  describe('receipts, incoming messages and settings', () => {
    it('When a receipt is posted for a sent message, then findStatusMessage serves it', async () => {
      sandbox.createInstance({ name: 'a' });
      const sent = await send('a');
      const keyId = (sent.body as { key: { id: string } }).key.id;

      const posted = await request(sandbox.app)
        .post('/__sandbox/instances/a/receipts')
        .send({ keyId, status: 'READ' });
      const found = await request(sandbox.app)
        .post('/chat/findStatusMessage/a')
        .set('apikey', sandbox.globalApiKey)
        .send({ where: { id: keyId } });

      expect(posted.status).toBe(201);
      expect(found.body).toEqual([posted.body]);
    });

    it('When a receipt has an unknown status, then the answer is 400', async () => {
      sandbox.createInstance({ name: 'a' });
      const response = await request(sandbox.app)
        .post('/__sandbox/instances/a/receipts')
        .send({ keyId: 'x', status: 'SEEN' });
      expect(response.status).toBe(400);
    });

    it('When an incoming message is simulated, then its Baileys-like data comes back', async () => {
      sandbox.createInstance({ name: 'a' });
      const response = await request(sandbox.app)
        .post('/__sandbox/instances/a/incoming')
        .send({ number: '254712345678', text: 'PAID', id: 'ABCDEF' });
      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        key: { remoteJid: '254712345678@s.whatsapp.net', fromMe: false, id: 'ABCDEF' },
        message: { conversation: 'PAID' },
      });
    });

    it('When settings are patched, then the rest is kept; invalid values are refused', async () => {
      const patched = await request(sandbox.app)
        .patch('/__sandbox/settings')
        .send({ latencyMs: 5, readMs: null });
      const refused = await request(sandbox.app).patch('/__sandbox/settings').send({ readProbability: 3 });

      expect(patched.body).toEqual({
        latencyMs: 5,
        serverAckMs: null,
        deliveryAckMs: null,
        readMs: null,
        readProbability: 0.5,
      });
      expect(refused.status).toBe(400);
    });

    it('When nothing is pending, then the idle route answers at once', async () => {
      const response = await request(sandbox.app).get('/__sandbox/idle');
      expect(response.body).toEqual({ idle: true });
    });
  });

  describe('reset and unknown routes', () => {
    it('When reset, then instances, ledger, faults and settings are back to the start', async () => {
      sandbox.createInstance({ name: 'a' });
      await send('a');
      sandbox.enqueueFaults([{ kind: 'http500' }]);
      sandbox.markNotOnWhatsApp(['254700000009']);
      sandbox.updateSettings({ latencyMs: 50 });

      await request(sandbox.app).post('/__sandbox/reset').expect(204);

      expect(sandbox.listInstances()).toEqual([]);
      expect(sandbox.deliveryCount()).toBe(0);
      expect(sandbox.faults()).toEqual({ queue: [], probabilities: {} });
      expect(sandbox.notOnWhatsApp()).toEqual([]);
      expect(sandbox.settings().latencyMs).toBe(0);
    });

    it('When a control route does not exist, then the answer is 404 with a detail', async () => {
      const response = await request(sandbox.app).get('/__sandbox/nope');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({ detail: 'No sandbox control route GET /nope' });
    });
  });
});

import { randomUUID } from 'node:crypto';
import jwt from 'jsonwebtoken';
import { EvolutionHttpClient } from '@telenexus/evolution';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxServer,
  type EvolutionEventName,
} from '../src';
import { WebhookReceiver, webhookOf } from './support/webhook-receiver';

describe('Sandbox: webhooks', () => {
  let sandbox: EvolutionSandbox;
  let server: SandboxServer;
  let receiver: WebhookReceiver;
  let client: EvolutionHttpClient;

  beforeAll(async () => {
    receiver = await WebhookReceiver.start();
    sandbox = createEvolutionSandbox({
      globalApiKey: 'global-key',
      serverAckMs: 0,
      deliveryAckMs: 5,
      readMs: 10,
      readProbability: 1,
      random: () => 0,
      webhookRetry: { maxAttempts: 3, initialDelayMs: 5, maxDelayMs: 20 },
    });
    server = await sandbox.listen(0);
    client = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: 'global-key' });
  });

  afterAll(async () => {
    client.close();
    await server.close();
    await receiver.close();
  });

  async function instanceWithWebhook(
    events: readonly EvolutionEventName[],
    options: { jwtKey?: string; headers?: Record<string, string>; url?: string; byEvents?: boolean } = {},
  ) {
    const instance = sandbox.createInstance({ name: `hooked-${randomUUID().slice(0, 8)}` });
    const response = await fetch(`${server.url}/webhook/set/${instance.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: instance.token },
      body: JSON.stringify({
        webhook: {
          enabled: true,
          url: options.url ?? receiver.url,
          headers: {
            ...options.headers,
            ...(options.jwtKey === undefined ? {} : { jwt_key: options.jwtKey }),
          },
          byEvents: options.byEvents ?? false,
          base64: false,
          events,
        },
      }),
    });
    expect(response.status).toBe(201);
    return instance;
  }

  async function sendFrom(instanceName: string) {
    const outcome = await client.sendText({
      instanceName,
      number: '254712345678',
      text: 'Invoice 42 is due',
    });
    if (outcome.kind !== 'sent') throw new Error(`expected sent, got ${JSON.stringify(outcome)}`);
    return outcome.providerMessageId;
  }

  it('When a message is sent, then send.message carries the same object as the send response', async () => {
    const instance = await instanceWithWebhook(['SEND_MESSAGE']);
    const direct = await fetch(`${server.url}/message/sendText/${instance.name}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', apikey: instance.token },
      body: JSON.stringify({ number: '254712345678', text: 'hello' }),
    });
    const sendBody = (await direct.json()) as Record<string, unknown>;

    const [webhook] = await receiver.waitFor(webhookOf('send.message', instance.name));

    expect(webhook?.body).toEqual({
      event: 'send.message',
      instance: instance.name,
      data: sendBody,
      destination: receiver.url,
      date_time: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T/) as unknown,
      sender: instance.ownerJid,
      server_url: server.url,
      apikey: instance.token,
    });
  });

  it('When receipts arrive, then messages.update is posted for SERVER_ACK, DELIVERY_ACK and READ with the documented data', async () => {
    const instance = await instanceWithWebhook(['MESSAGES_UPDATE']);
    const keyId = await sendFrom(instance.name);

    const updates = await receiver.waitFor(webhookOf('messages.update', instance.name), 3);

    expect(updates.map((update) => (update.body.data as { status: string }).status).sort()).toEqual([
      'DELIVERY_ACK',
      'READ',
      'SERVER_ACK',
    ]);
    expect(updates[0]?.body.data).toEqual({
      keyId,
      remoteJid: '254712345678@s.whatsapp.net',
      fromMe: true,
      participant: null,
      status: expect.any(String) as unknown,
      instanceId: instance.id,
      messageId: expect.any(String) as unknown,
    });
    expect(receiver.of('send.message', instance.name)).toEqual([]);
  });

  it('When jwt_key is configured, then each POST carries a verifiable HS256 Bearer token and the other headers', async () => {
    const instance = await instanceWithWebhook(['SEND_MESSAGE'], {
      jwtKey: 'webhook-secret',
      headers: { 'x-path-token': 'p1' },
    });
    await sendFrom(instance.name);

    const [webhook] = await receiver.waitFor(webhookOf('send.message', instance.name));
    const authorization = webhook?.headers.authorization ?? '';
    const payload = jwt.verify(authorization.replace(/^Bearer /, ''), 'webhook-secret', {
      algorithms: ['HS256'],
    });

    expect(payload).toEqual({
      iat: expect.any(Number) as unknown,
      exp: expect.any(Number) as unknown,
      app: 'evolution',
      action: 'webhook',
    });
    const { iat, exp } = payload as { iat: number; exp: number };
    expect(exp - iat).toBe(600);
    expect(webhook?.headers['x-path-token']).toBe('p1');
    expect(webhook?.headers).not.toHaveProperty('jwt_key');
  });

  it('When the token is checked with another secret, then verification fails', async () => {
    const instance = await instanceWithWebhook(['SEND_MESSAGE'], { jwtKey: 'right-secret' });
    await sendFrom(instance.name);
    const [webhook] = await receiver.waitFor(webhookOf('send.message', instance.name));
    const token = (webhook?.headers.authorization ?? '').replace(/^Bearer /, '');
    expect(() => jwt.verify(token, 'wrong-secret')).toThrow('invalid signature');
  });

  it('When no jwt_key is configured, then no Authorization header is sent', async () => {
    const instance = await instanceWithWebhook(['SEND_MESSAGE']);
    await sendFrom(instance.name);
    const [webhook] = await receiver.waitFor(webhookOf('send.message', instance.name));
    expect(webhook?.headers).not.toHaveProperty('authorization');
  });

  it('When the connection state changes, then connection.update is posted', async () => {
    const instance = await instanceWithWebhook(['CONNECTION_UPDATE']);
    sandbox.setConnectionState(instance.name, 'close');

    const [webhook] = await receiver.waitFor(webhookOf('connection.update', instance.name));

    expect(webhook?.body.data).toEqual({ instance: instance.name, state: 'close', statusReason: 428 });
  });

  it('When a customer writes in, then messages.upsert carries a Baileys-like message', async () => {
    const instance = await instanceWithWebhook(['MESSAGES_UPSERT']);
    sandbox.simulateIncoming({
      instance: instance.name,
      number: '254712345678',
      text: 'STOP',
      pushName: 'Wanjiku',
    });

    const [webhook] = await receiver.waitFor(webhookOf('messages.upsert', instance.name));

    expect(webhook?.body.data).toEqual({
      key: {
        remoteJid: '254712345678@s.whatsapp.net',
        fromMe: false,
        id: expect.stringMatching(/^[0-9A-F]{32}$/) as unknown,
      },
      pushName: 'Wanjiku',
      status: 'DELIVERY_ACK',
      message: { conversation: 'STOP' },
      messageType: 'conversation',
      messageTimestamp: expect.any(Number) as unknown,
      instanceId: instance.id,
      source: 'android',
    });
  });

  it('When receipts are emitted by hand out of order and twice, then every one is posted and recorded as emitted', async () => {
    await sandbox.whenIdle();
    sandbox.updateSettings({ serverAckMs: null, deliveryAckMs: null, readMs: null });
    try {
      const instance = await instanceWithWebhook(['MESSAGES_UPDATE']);
      const keyId = await sendFrom(instance.name);

      for (const status of ['READ', 'DELIVERY_ACK', 'DELIVERY_ACK', 'SERVER_ACK'] as const) {
        sandbox.emitReceipt({ instance: instance.name, keyId, status });
      }
      const updates = await receiver.waitFor(webhookOf('messages.update', instance.name), 4);

      expect(updates.map((update) => (update.body.data as { status: string }).status).sort()).toEqual([
        'DELIVERY_ACK',
        'DELIVERY_ACK',
        'READ',
        'SERVER_ACK',
      ]);
      await expect(client.findStatusMessage({ instanceName: instance.name }, keyId)).resolves.toEqual([
        { keyId, status: 'READ' },
        { keyId, status: 'DELIVERY_ACK' },
        { keyId, status: 'DELIVERY_ACK' },
        { keyId, status: 'SERVER_ACK' },
      ]);
    } finally {
      sandbox.updateSettings({ serverAckMs: 0, deliveryAckMs: 5, readMs: 10 });
    }
  });

  it('When byEvents is on, then the event name is appended to the URL path', async () => {
    const instance = await instanceWithWebhook(['SEND_MESSAGE'], { byEvents: true });
    await sendFrom(instance.name);
    const [webhook] = await receiver.waitFor(webhookOf('send.message', instance.name));
    expect(webhook?.path).toBe('/hooks/evolution/send-message');
  });

  describe('retries', () => {
    // Scripted receiver statuses go to whichever POST comes next, so nothing else may be in flight.
    beforeEach(() => sandbox.whenIdle());

    it('When the receiver fails with 500 twice, then the sandbox retries and the third attempt delivers', async () => {
      const instance = await instanceWithWebhook(['CONNECTION_UPDATE']);
      receiver.respondWith(500, 503);
      sandbox.setConnectionState(instance.name, 'connecting');

      const deliveries = await receiver.waitFor(webhookOf('connection.update', instance.name), 3);
      await sandbox.whenIdle();

      expect(deliveries.map((delivery) => delivery.body)).toEqual([
        deliveries[0]?.body,
        deliveries[0]?.body,
        deliveries[0]?.body,
      ]);
      expect(
        sandbox
          .webhookAttempts()
          .filter((attempt) => attempt.instance === instance.name)
          .map((attempt) => [attempt.attempt, attempt.outcome, attempt.httpStatus]),
      ).toEqual([
        [1, 'retrying', 500],
        [2, 'retrying', 503],
        [3, 'delivered', 200],
      ]);
    });

    it('When the receiver answers 401, then the sandbox does not retry', async () => {
      const instance = await instanceWithWebhook(['CONNECTION_UPDATE']);
      receiver.respondWith(401);
      sandbox.setConnectionState(instance.name, 'connecting');

      await receiver.waitFor(webhookOf('connection.update', instance.name));
      await sandbox.whenIdle();

      expect(receiver.of('connection.update', instance.name)).toHaveLength(1);
      expect(sandbox.webhookAttempts().filter((attempt) => attempt.instance === instance.name)).toEqual([
        expect.objectContaining({ attempt: 1, outcome: 'gave-up', httpStatus: 401 }),
      ]);
    });

    it('When the receiver is unreachable, then the sandbox gives up after maxAttempts and keeps serving', async () => {
      const gone = await WebhookReceiver.start();
      const goneUrl = gone.url;
      await gone.close();
      const instance = await instanceWithWebhook(['SEND_MESSAGE'], { url: goneUrl });

      await sendFrom(instance.name);
      await sandbox.whenIdle();

      const attempts = sandbox.webhookAttempts().filter((attempt) => attempt.instance === instance.name);
      expect(attempts.map((attempt) => attempt.outcome)).toEqual(['retrying', 'retrying', 'gave-up']);
      expect(attempts[0]?.error).toContain('ECONNREFUSED');
      expect(await client.connectionState({ instanceName: instance.name })).toBe('open');
    });
  });
});

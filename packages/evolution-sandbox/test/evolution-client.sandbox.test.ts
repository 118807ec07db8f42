import { randomUUID } from 'node:crypto';
import { EvolutionHttpClient, EvolutionRequestError } from '@telenexus/evolution';
import { createEvolutionSandbox, type EvolutionSandbox, type SandboxServer } from '../src';

const NOW = Date.parse('2026-02-27T04:37:31.000Z');

describe('EvolutionHttpClient against the sandbox', () => {
  let sandbox: EvolutionSandbox;
  let server: SandboxServer;
  let client: EvolutionHttpClient;

  beforeAll(async () => {
    sandbox = createEvolutionSandbox({
      globalApiKey: 'global-key',
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
      now: () => NOW,
    });
    server = await sandbox.listen(0);
    client = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: 'global-key', timeoutMs: 5000 });
  });

  afterAll(async () => {
    client.close();
    await server.close();
  });

  const newInstance = (state: 'open' | 'connecting' | 'close' = 'open') =>
    sandbox.createInstance({ name: `billing-${randomUUID().slice(0, 8)}`, state });
  const send = (instanceName: string, overrides: { number?: string; text?: string; token?: string } = {}) =>
    client.sendText({
      instanceName,
      number: overrides.number ?? '254712345678',
      text: overrides.text ?? 'Invoice 42 is due',
      token: overrides.token ?? null,
    });

  describe('sendText', () => {
    it('When the instance is open, then the outcome is sent and the ledger holds exactly that message', async () => {
      const instance = newInstance();

      const outcome = await send(instance.name, { text: 'Your bill of KES 1,200 is due' });

      expect(outcome).toEqual({
        kind: 'sent',
        providerMessageId: expect.stringMatching(/^3EB0[0-9A-F]{18}$/) as unknown,
        providerTimestamp: Math.floor(NOW / 1000),
      });
      const id = outcome.kind === 'sent' ? outcome.providerMessageId : '';
      expect(sandbox.deliveries({ instance: instance.name })).toEqual([
        {
          id,
          instance: instance.name,
          number: '254712345678',
          text: 'Your bill of KES 1,200 is due',
          receivedAt: NOW,
        },
      ]);
    });

    it('When the target carries the instance token, then that token is sent instead of the global key', async () => {
      const instance = newInstance();
      const noGlobalKey = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: 'not-the-key' });

      const withToken = await noGlobalKey.sendText({
        instanceName: instance.name,
        token: instance.token,
        number: '254712345678',
        text: 'hi',
      });
      const withWrongToken = await send(instance.name, { token: 'wrong-token' });
      noGlobalKey.close();

      expect(withToken.kind).toBe('sent');
      expect(withWrongToken).toMatchObject({ kind: 'permanent', httpStatus: 401 });
    });

    it('When the apikey is wrong, then the failure is permanent configuration (401)', async () => {
      const instance = newInstance();
      const wrong = new EvolutionHttpClient({ baseUrl: server.url, globalApiKey: 'wrong' });
      const outcome = await wrong.sendText({
        instanceName: instance.name,
        number: '254712345678',
        text: 'hi',
      });
      wrong.close();
      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 401,
        configuration: true,
        reason: 'Evolution rejected the API key',
      });
    });

    it('When the instance does not exist, then the failure is permanent configuration (404) naming it', async () => {
      const outcome = await send('no-such-instance');
      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 404,
        configuration: true,
        reason: 'Evolution instance does not exist: The "no-such-instance" instance does not exist',
      });
    });

    it('When the number is not on WhatsApp, then the failure is permanent and nothing is delivered', async () => {
      const instance = newInstance();
      sandbox.markNotOnWhatsApp(['+254 700 000 111']);

      const outcome = await send(instance.name, { number: '254700000111' });

      expect(outcome).toEqual({
        kind: 'permanent',
        httpStatus: 400,
        notOnWhatsApp: true,
        reason: 'number 254700000111 is not on WhatsApp',
      });
      expect(sandbox.deliveryCount({ instance: instance.name })).toBe(0);
    });

    it('When the text is blank, then the failure is permanent validation', async () => {
      const instance = newInstance();
      expect(await send(instance.name, { text: '   ' })).toEqual({
        kind: 'permanent',
        httpStatus: 400,
        reason: 'Evolution rejected the request: Text is required',
      });
    });

    it('When the instance was connected and is now closed, then the outcome is transient with instanceDisconnected', async () => {
      const instance = newInstance();
      sandbox.setConnectionState(instance.name, 'close');

      expect(await send(instance.name)).toMatchObject({
        kind: 'transient',
        httpStatus: 500,
        instanceDisconnected: true,
        reason: expect.stringContaining('Connection Closed') as unknown,
      });
      expect(sandbox.deliveryCount({ instance: instance.name })).toBe(0);
    });

    it('When the instance has never been connected, then the outcome is transient (never connected)', async () => {
      const instance = newInstance('close');
      expect(await send(instance.name)).toMatchObject({
        kind: 'transient',
        httpStatus: 500,
        reason: 'Evolution instance has never been connected to WhatsApp',
      });
    });

    describe('forced outcomes', () => {
      it('When the sandbox answers an unexplained 500, then the outcome is ambiguous and nothing was delivered', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'http500', instance: instance.name }]);

        expect(await send(instance.name)).toMatchObject({ kind: 'ambiguous', httpStatus: 500 });
        expect(sandbox.deliveryCount({ instance: instance.name })).toBe(0);
      });

      it('When a 500 comes after WhatsApp accepted the message, then the outcome is ambiguous and the ledger has it', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'http500', instance: instance.name, delivered: true }]);

        expect(await send(instance.name)).toMatchObject({ kind: 'ambiguous', httpStatus: 500 });
        expect(sandbox.deliveryCount({ instance: instance.name })).toBe(1);
      });

      it('When the sandbox answers 500 Connection Closed, then the outcome is transient with instanceDisconnected', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'connectionClosed500', instance: instance.name }]);

        expect(await send(instance.name)).toMatchObject({ kind: 'transient', instanceDisconnected: true });
      });

      it('When the sandbox rate limits with Retry-After, then the outcome is transient with retryAfterMs', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'rateLimit429', instance: instance.name, retryAfterSeconds: 3 }]);

        expect(await send(instance.name)).toEqual({
          kind: 'transient',
          httpStatus: 429,
          reason: 'Evolution is rate limiting requests',
          retryAfterMs: 3000,
        });
      });

      it('When the sandbox says the number is not on WhatsApp, then the failure is permanent', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'notOnWhatsApp', instance: instance.name }]);

        expect(await send(instance.name, { number: '254799999999' })).toMatchObject({
          kind: 'permanent',
          reason: 'number 254799999999 is not on WhatsApp',
        });
      });

      it('When the sandbox delivers and then resets the connection, then the outcome is ambiguous and the ledger has it', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'acceptThenReset', instance: instance.name }]);

        const outcome = await send(instance.name);

        expect(outcome).toMatchObject({
          kind: 'ambiguous',
          reason: expect.stringContaining('after the request was sent') as unknown,
        });
        expect(sandbox.deliveryCount({ instance: instance.name })).toBe(1);
      });

      it('When the sandbox delivers and never answers, then the client times out with an ambiguous outcome', async () => {
        const instance = newInstance();
        const impatient = new EvolutionHttpClient({
          baseUrl: server.url,
          globalApiKey: 'global-key',
          // Long enough for a loaded machine to deliver the request first: that is the case here.
          timeoutMs: 2000,
        });
        sandbox.enqueueFaults([{ kind: 'acceptThenHang', instance: instance.name }]);

        const outcome = await impatient.sendText({
          instanceName: instance.name,
          number: '254712345678',
          text: 'hi',
        });
        impatient.close();

        expect(outcome).toEqual({
          kind: 'ambiguous',
          reason: 'Timed out waiting for Evolution after the request was sent',
        });
        expect(sandbox.deliveryCount({ instance: instance.name })).toBe(1);
      });

      it('When the sandbox resets without delivering, then the client (which had written the request) still reports ambiguous', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'resetBeforeAccept', instance: instance.name }]);

        expect((await send(instance.name)).kind).toBe('ambiguous');
        expect(sandbox.deliveryCount({ instance: instance.name })).toBe(0);
      });

      it('When forced outcomes are consumed, then the next send is normal again', async () => {
        const instance = newInstance();
        sandbox.enqueueFaults([{ kind: 'http500', instance: instance.name }]);

        expect((await send(instance.name)).kind).toBe('ambiguous');
        expect((await send(instance.name)).kind).toBe('sent');
      });
    });
  });

  describe('connectionState', () => {
    it.each(['open', 'connecting', 'close'] as const)(
      'When the instance is %s, then that state is returned',
      async (state) => {
        const instance = newInstance();
        sandbox.setConnectionState(instance.name, state);
        await expect(client.connectionState({ instanceName: instance.name })).resolves.toBe(state);
      },
    );

    it('When the instance does not exist, then an EvolutionRequestError with HTTP 404 is thrown', async () => {
      const failure = client.connectionState({ instanceName: 'ghost' });
      await expect(failure).rejects.toBeInstanceOf(EvolutionRequestError);
      await expect(failure).rejects.toMatchObject({
        httpStatus: 404,
        operation: 'connectionState',
        message: 'Evolution connectionState failed with HTTP 404: The "ghost" instance does not exist',
      });
    });

    it('When the key is wrong, then an EvolutionRequestError with HTTP 401 is thrown', async () => {
      const instance = newInstance();
      await expect(
        client.connectionState({ instanceName: instance.name, token: 'bad' }),
      ).rejects.toMatchObject({
        httpStatus: 401,
      });
    });
  });

  describe('proveInstanceToken', () => {
    it("When the token is the instance's own, then it is proven", async () => {
      const instance = newInstance('close');
      await expect(client.proveInstanceToken(instance.name, instance.token)).resolves.toBe('proven');
    });

    it("When the token is wrong or another instance's, then it is not proven", async () => {
      const instance = newInstance();
      const other = newInstance();
      await expect(client.proveInstanceToken(instance.name, 'wrong')).resolves.toBe('not-proven');
      await expect(client.proveInstanceToken(instance.name, other.token)).resolves.toBe('not-proven');
    });

    it('When the instance does not exist, then the token is not proven', async () => {
      await expect(client.proveInstanceToken(`ghost-${randomUUID()}`, 'any')).resolves.toBe('not-proven');
    });

    it('When the token is the global key, then it is not proven although Evolution would accept it', async () => {
      const instance = newInstance();
      await expect(client.proveInstanceToken(instance.name, 'global-key')).resolves.toBe('not-proven');
    });
  });

  describe('setWebhook', () => {
    it('When settings are valid, then Evolution stores them with jwt_key among the headers', async () => {
      const instance = newInstance();

      await client.setWebhook(
        { instanceName: instance.name, token: instance.token },
        { url: 'http://127.0.0.1:1/hooks', events: ['MESSAGES_UPDATE', 'SEND_MESSAGE'], jwtKey: 'shh' },
      );

      const stored = sandbox.listInstances().find((candidate) => candidate.name === instance.name)?.webhook;
      expect(stored).toMatchObject({
        enabled: true,
        url: 'http://127.0.0.1:1/hooks',
        headers: { jwt_key: 'shh' },
        events: ['MESSAGES_UPDATE', 'SEND_MESSAGE'],
        webhookByEvents: false,
        webhookBase64: false,
      });
    });

    it('When no jwtKey is given, then no headers are configured', async () => {
      const instance = newInstance();
      await client.setWebhook(
        { instanceName: instance.name },
        { url: 'http://127.0.0.1:1/h', events: ['SEND_MESSAGE'] },
      );
      expect(
        sandbox.listInstances().find((candidate) => candidate.name === instance.name)?.webhook?.headers,
      ).toBeNull();
    });

    it('When an event name is dotted, then Evolution rejects it and the client throws HTTP 400', async () => {
      const instance = newInstance();
      await expect(
        client.setWebhook(
          { instanceName: instance.name },
          { url: 'http://127.0.0.1:1/h', events: ['messages.update'] },
        ),
      ).rejects.toMatchObject({
        httpStatus: 400,
        message: expect.stringContaining('webhook.events[0] is not one of enum values') as unknown,
      });
    });
  });

  describe('findStatusMessage', () => {
    it('When receipts were recorded for the message, then they come back oldest first', async () => {
      const instance = newInstance();
      const outcome = await send(instance.name);
      if (outcome.kind !== 'sent') throw new Error(`expected sent, got ${outcome.kind}`);
      sandbox.emitReceipt({
        instance: instance.name,
        keyId: outcome.providerMessageId,
        status: 'SERVER_ACK',
      });
      sandbox.emitReceipt({
        instance: instance.name,
        keyId: outcome.providerMessageId,
        status: 'DELIVERY_ACK',
      });

      await expect(
        client.findStatusMessage({ instanceName: instance.name }, outcome.providerMessageId),
      ).resolves.toEqual([
        { keyId: outcome.providerMessageId, status: 'SERVER_ACK' },
        { keyId: outcome.providerMessageId, status: 'DELIVERY_ACK' },
      ]);
    });

    it('When nothing was recorded for the id, then the list is empty', async () => {
      const instance = newInstance();
      await expect(
        client.findStatusMessage({ instanceName: instance.name }, '3EB0000000000000000000'),
      ).resolves.toEqual([]);
    });

    it('When the instance does not exist, then an EvolutionRequestError is thrown', async () => {
      await expect(client.findStatusMessage({ instanceName: 'ghost' }, 'x')).rejects.toMatchObject({
        httpStatus: 404,
      });
    });
  });

  describe('findSentMessages', () => {
    it('When the number got more messages than a page holds, then the oldest is found on a later page', async () => {
      const instance = newInstance();
      const first = await send(instance.name, { number: '254712000003', text: 'The very first' });
      if (first.kind !== 'sent') throw new Error(`expected sent, got ${first.kind}`);
      for (let index = 0; index < 120; index += 1)
        await send(instance.name, { number: '254712000003', text: `Later ${index}` });

      const found = await client.findSentMessages(
        { instanceName: instance.name },
        { number: '254712000003', fromMs: NOW - 1000, toMs: NOW + 1000 },
      );

      expect(found).toHaveLength(121);
      expect(found).toContainEqual({ keyId: first.providerMessageId, text: 'The very first' });
    });

    it('When a message was sent to a number, then it is found by number and time window with its key id and text', async () => {
      const instance = newInstance();
      // The sandbox's clock stands at NOW.
      const before = NOW - 1000;
      const outcome = await send(instance.name, { number: '254712000001', text: 'Your invoice, exactly' });
      await send(instance.name, { number: '254712000002', text: 'Someone else' });
      if (outcome.kind !== 'sent') throw new Error(`expected sent, got ${outcome.kind}`);
      const after = NOW + 1000;

      await expect(
        client.findSentMessages(
          { instanceName: instance.name },
          { number: '254712000001', fromMs: before, toMs: after },
        ),
      ).resolves.toEqual([{ keyId: outcome.providerMessageId, text: 'Your invoice, exactly' }]);
      await expect(
        client.findSentMessages(
          { instanceName: instance.name },
          { number: '254712000001', fromMs: after, toMs: after + 60_000 },
        ),
      ).resolves.toEqual([]);
    });
  });
});

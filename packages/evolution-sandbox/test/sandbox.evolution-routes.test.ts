import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createEvolutionSandbox, type EvolutionSandbox } from '../src';

const KEY = 'global-key';
const NOW = Date.parse('2026-02-27T04:37:31.000Z');

describe('Sandbox: Evolution routes', () => {
  let sandbox: EvolutionSandbox;

  beforeAll(() => {
    sandbox = createEvolutionSandbox({
      globalApiKey: KEY,
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
      now: () => NOW,
    });
  });

  afterAll(async () => {
    await sandbox.close();
  });

  const uniqueName = () => `inst-${randomUUID().slice(0, 8)}`;

  describe('guards', () => {
    it('When the instance is unknown and no apikey is sent, then the answer is 404 (the instance check comes first)', async () => {
      const response = await request(sandbox.app).get('/instance/connectionState/ghost');
      expect(response.status).toBe(404);
      expect(response.body).toEqual({
        status: 404,
        error: 'Not Found',
        response: { message: ['The "ghost" instance does not exist'] },
      });
    });

    it('When the instance exists but the apikey is missing, then the answer is 401 "Unauthorized"', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app).get(`/instance/connectionState/${instance.name}`);
      expect(response.status).toBe(401);
      expect(response.body).toEqual({
        status: 401,
        error: 'Unauthorized',
        response: { message: 'Unauthorized' },
      });
    });

    it("When the apikey is the instance's own token, then the route answers; another instance's token does not", async () => {
      const own = sandbox.createInstance({ name: uniqueName() });
      const other = sandbox.createInstance({ name: uniqueName() });

      const allowed = await request(sandbox.app)
        .get(`/instance/connectionState/${own.name}`)
        .set('apikey', own.token);
      const refused = await request(sandbox.app)
        .get(`/instance/connectionState/${own.name}`)
        .set('apikey', other.token);

      expect(allowed.status).toBe(200);
      expect(allowed.body).toEqual({ instance: { instanceName: own.name, state: 'open' } });
      expect(refused.status).toBe(401);
    });
  });

  describe('POST /instance/create', () => {
    it('When created with the global key, then the body is shaped like Evolution and the instance is unpaired', async () => {
      const name = uniqueName();
      const response = await request(sandbox.app)
        .post('/instance/create')
        .set('apikey', KEY)
        .send({ instanceName: name, token: 'my-token', integration: 'WHATSAPP-BAILEYS' });

      expect(response.status).toBe(201);
      expect(response.body).toMatchObject({
        instance: { instanceName: name, instanceId: expect.any(String) as unknown, status: 'created' },
        hash: 'my-token',
      });
      const state = await request(sandbox.app)
        .get(`/instance/connectionState/${name}`)
        .set('apikey', 'my-token');
      expect(state.body).toEqual({ instance: { instanceName: name, state: 'close' } });
    });

    it("When a never-paired instance sends, then Evolution's onWhatsApp TypeError comes back as 500", async () => {
      const name = uniqueName();
      await request(sandbox.app).post('/instance/create').set('apikey', KEY).send({ instanceName: name });

      const response = await request(sandbox.app)
        .post(`/message/sendText/${name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: 'hi' });

      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        status: 500,
        error: 'Internal Server Error',
        response: { message: "Cannot read properties of undefined (reading 'onWhatsApp')" },
      });
    });

    it('When the name is taken, then the answer is 403', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post('/instance/create')
        .set('apikey', KEY)
        .send({ instanceName: instance.name });
      expect(response.status).toBe(403);
      expect((response.body as { response: unknown }).response).toEqual({
        message: [`This name "${instance.name}" is already in use.`],
      });
    });

    it('When an instance token is used, then creating is refused with 401', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post('/instance/create')
        .set('apikey', instance.token)
        .send({ instanceName: uniqueName() });
      expect(response.status).toBe(401);
    });
  });

  describe('GET /instance/fetchInstances', () => {
    it('When asked with the global key for one name, then that row comes back with name, id, connectionStatus and token', async () => {
      const instance = sandbox.createInstance({ name: uniqueName(), state: 'connecting' });
      const response = await request(sandbox.app)
        .get('/instance/fetchInstances')
        .query({ instanceName: instance.name })
        .set('apikey', KEY);
      expect(response.status).toBe(200);
      expect(response.body).toEqual([
        expect.objectContaining({
          name: instance.name,
          id: instance.id,
          connectionStatus: 'connecting',
          token: instance.token,
        }),
      ]);
    });

    it('When asked with an instance token, then only that instance is listed', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .get('/instance/fetchInstances')
        .set('apikey', instance.token);
      expect(response.body).toEqual([expect.objectContaining({ name: instance.name })]);
    });

    it('When the named instance is unknown, then the answer is 404', async () => {
      const response = await request(sandbox.app)
        .get('/instance/fetchInstances')
        .query({ instanceName: 'ghost' })
        .set('apikey', KEY);
      expect(response.status).toBe(404);
    });
  });

  describe('POST /message/sendText', () => {
    it('When the send succeeds, then the answer is 201 with the body Evolution gives', async () => {
      const instance = sandbox.createInstance({ name: uniqueName(), profileName: 'Acme Billing' });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: 'Invoice 42', linkPreview: false });

      expect(response.status).toBe(201);
      expect(response.body).toEqual({
        key: {
          remoteJid: '254712345678@s.whatsapp.net',
          fromMe: true,
          id: expect.stringMatching(/^3EB0[0-9A-F]{18}$/) as unknown,
        },
        pushName: 'Acme Billing',
        status: 'PENDING',
        message: { conversation: 'Invoice 42' },
        contextInfo: null,
        messageType: 'conversation',
        messageTimestamp: Math.floor(NOW / 1000),
        instanceId: instance.id,
        source: 'web',
      });
    });

    it('When the number is a full JID, then it is accepted and recorded as digits', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678@s.whatsapp.net', text: 'hi' });
      expect(response.status).toBe(201);
      expect(sandbox.deliveries({ instance: instance.name })[0]?.number).toBe('254712345678');
    });

    it('When text is missing, then the answer is 400 with the nested schema message', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        status: 400,
        error: 'Bad Request',
        response: { message: [['instance requires property "text"']] },
      });
    });

    it('When text is blank, then the answer is 400 "Text is required"', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: '' });
      expect(response.body).toEqual({
        status: 400,
        error: 'Bad Request',
        response: { message: ['Text is required'] },
      });
    });

    it('When the instance is closed, then the answer is 500 "Connection Closed" and nothing is delivered', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      sandbox.setConnectionState(instance.name, 'close');
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: 'hi' });
      expect(response.status).toBe(500);
      expect(response.body).toEqual({
        status: 500,
        error: 'Internal Server Error',
        response: { message: 'Connection Closed' },
      });
      expect(sandbox.deliveryCount({ instance: instance.name })).toBe(0);
    });

    it('When the number is marked as not on WhatsApp, then the answer is 400 with exists:false', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      sandbox.markNotOnWhatsApp(['254700000999']);
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254700000999', text: 'hi' });
      expect(response.status).toBe(400);
      expect(response.body).toEqual({
        status: 400,
        error: 'Bad Request',
        response: {
          message: [{ jid: '254700000999@s.whatsapp.net', exists: false, number: '254700000999' }],
        },
      });
    });

    it('When the body is not valid JSON, then the answer is a 400 envelope', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .set('content-type', 'application/json')
        .send('{"number":');
      expect(response.status).toBe(400);
      expect(response.body).toMatchObject({ status: 400, error: 'Bad Request' });
    });

    it('When a typing delay is asked for, then the send still succeeds after it', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: 'hi', delay: 20 });
      expect(response.status).toBe(201);
    });
  });

  describe('webhook configuration', () => {
    it('When a webhook is set, then 201 returns the stored row and /webhook/find returns it too', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const webhook = {
        enabled: true,
        url: 'https://hooks.example/evolution',
        headers: { jwt_key: 'secret' },
        byEvents: false,
        base64: false,
        events: ['MESSAGES_UPDATE', 'SEND_MESSAGE', 'CONNECTION_UPDATE'],
      };

      const set = await request(sandbox.app)
        .post(`/webhook/set/${instance.name}`)
        .set('apikey', KEY)
        .send({ webhook });
      const found = await request(sandbox.app).get(`/webhook/find/${instance.name}`).set('apikey', KEY);

      expect(set.status).toBe(201);
      expect(set.body).toMatchObject({
        url: webhook.url,
        headers: { jwt_key: 'secret' },
        enabled: true,
        events: webhook.events,
        webhookByEvents: false,
        webhookBase64: false,
        instanceId: instance.id,
      });
      expect(found.body).toEqual(set.body);
    });

    it('When no webhook was set, then /webhook/find answers null', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const found = await request(sandbox.app).get(`/webhook/find/${instance.name}`).set('apikey', KEY);
      expect(found.status).toBe(200);
      expect(found.body).toBeNull();
    });

    it('When an event name is dotted, then the answer is 400 and nothing is stored', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/webhook/set/${instance.name}`)
        .set('apikey', KEY)
        .send({ webhook: { enabled: true, url: 'https://hooks.example/e', events: ['send.message'] } });
      expect(response.status).toBe(400);
      expect(
        sandbox.listInstances().find((candidate) => candidate.name === instance.name)?.webhook,
      ).toBeNull();
    });
  });

  describe('POST /chat/findStatusMessage', () => {
    it('When no update exists for the id, then the answer is []', async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const response = await request(sandbox.app)
        .post(`/chat/findStatusMessage/${instance.name}`)
        .set('apikey', KEY)
        .send({ where: { id: '3EB0NOPE' } });
      expect(response.status).toBe(200);
      expect(response.body).toEqual([]);
    });

    it("When updates were emitted, then rows shaped like Evolution's MessageUpdate come back for that id only", async () => {
      const instance = sandbox.createInstance({ name: uniqueName() });
      const sent = await request(sandbox.app)
        .post(`/message/sendText/${instance.name}`)
        .set('apikey', KEY)
        .send({ number: '254712345678', text: 'hi' });
      const keyId = (sent.body as { key: { id: string } }).key.id;
      sandbox.emitReceipt({ instance: instance.name, keyId, status: 'DELIVERY_ACK' });
      sandbox.emitReceipt({ instance: instance.name, keyId: '3EB0OTHER', status: 'READ' });

      const response = await request(sandbox.app)
        .post(`/chat/findStatusMessage/${instance.name}`)
        .set('apikey', KEY)
        .send({ where: { id: keyId } });

      expect(response.body).toEqual([
        {
          id: expect.any(String) as unknown,
          keyId,
          remoteJid: '254712345678@s.whatsapp.net',
          fromMe: true,
          participant: null,
          pollUpdates: null,
          status: 'DELIVERY_ACK',
          messageId: expect.any(String) as unknown,
          instanceId: instance.id,
        },
      ]);
    });
  });

  describe('auto-create mode', () => {
    let convenient: EvolutionSandbox;

    beforeAll(() => {
      convenient = createEvolutionSandbox({
        autoCreateInstances: true,
        serverAckMs: null,
        deliveryAckMs: null,
        readMs: null,
      });
    });

    afterAll(async () => {
      await convenient.close();
    });

    it('When an unknown instance is named, then it springs into existence, open', async () => {
      const response = await request(convenient.app)
        .get('/instance/connectionState/fresh01')
        .set('apikey', convenient.globalApiKey);
      expect(response.body).toEqual({ instance: { instanceName: 'fresh01', state: 'open' } });
      expect(convenient.listInstances().map((instance) => instance.name)).toContain('fresh01');
    });

    it('When an unknown instance is sent to, then the send succeeds and reaches the ledger', async () => {
      const response = await request(convenient.app)
        .post('/message/sendText/fresh02')
        .set('apikey', convenient.globalApiKey)
        .send({ number: '254712345678', text: 'hi' });
      expect(response.status).toBe(201);
      expect(convenient.deliveryCount({ instance: 'fresh02' })).toBe(1);
    });

    it('When the apikey is wrong, then auto-created instances still refuse it', async () => {
      const response = await request(convenient.app)
        .get('/instance/connectionState/fresh03')
        .set('apikey', 'nope');
      expect(response.status).toBe(401);
    });

    it("When an instance is created through Evolution's route, then it starts open", async () => {
      const response = await request(convenient.app)
        .post('/instance/create')
        .set('apikey', convenient.globalApiKey)
        .send({ instanceName: 'fresh04' });
      expect(response.status).toBe(201);
      expect(convenient.listInstances().find((instance) => instance.name === 'fresh04')?.state).toBe('open');
    });
  });
});

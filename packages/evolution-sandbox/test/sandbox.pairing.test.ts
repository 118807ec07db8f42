import { randomUUID } from 'node:crypto';
import request from 'supertest';
import {
  createEvolutionSandbox,
  type EvolutionSandbox,
  type SandboxConnectionState,
  type SandboxServer,
} from '../src';
import { createPairingSandbox } from './support/pairing-sandbox';
import { WebhookReceiver, webhookOf } from './support/webhook-receiver';

/**
 * Pairing a number again, as Evolution 2.3 does it: `/instance/connect` by state, QR codes pushed
 * as `qrcode.updated` until the limit, `connection.update` on the way, `/instance/logout`, and the
 * control routes that drop an instance and "scan" its QR code.
 */

const KEY = 'global-key';
const PNG_DATA_URL = /^data:image\/png;base64,[A-Za-z0-9+/]+=*$/;

let sandbox: EvolutionSandbox;
let server: SandboxServer;
let receiver: WebhookReceiver;

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  // Rotations are driven by the tests that want them (a sandbox of their own, below).
  sandbox = createPairingSandbox(KEY);
  server = await sandbox.listen(0);
});

afterAll(async () => {
  await server.close();
  await receiver.close();
});

/** An instance whose webhook posts connection and QR code events to the receiver. */
async function hookedInstance(
  target: EvolutionSandbox,
  state: SandboxConnectionState = 'close',
): Promise<string> {
  const name = `pairing-${randomUUID().slice(0, 8)}`;
  target.createInstance({ name, state, number: '254700000001', profileName: 'Billing ISP' });
  const response = await request(target.app)
    .post(`/webhook/set/${name}`)
    .set('apikey', KEY)
    .send({
      webhook: {
        enabled: true,
        url: receiver.url,
        events: ['CONNECTION_UPDATE', 'QRCODE_UPDATED'],
      },
    });
  expect(response.status).toBe(201);
  return name;
}

const connect = (target: EvolutionSandbox, name: string, query = '') =>
  request(target.app).get(`/instance/connect/${name}${query}`).set('apikey', KEY);

describe('GET /instance/connect/:name', () => {
  it('When a closed instance is connected, then a session starts: connection.update connecting, and the first QR code is answered and pushed', async () => {
    const name = await hookedInstance(sandbox);

    const response = await connect(sandbox, name);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      pairingCode: null,
      code: expect.stringMatching(/^2@[^,]+,[^,]+,[^,]+,[^,]+$/),
      base64: expect.stringMatching(PNG_DATA_URL),
      count: 1,
    });
    const [connecting] = await receiver.waitFor(webhookOf('connection.update', name));
    expect(connecting!.body.data).toEqual({ instance: name, state: 'connecting', statusReason: 200 });
    const [qr] = await receiver.waitFor(webhookOf('qrcode.updated', name));
    expect(qr!.body.data).toEqual({
      qrcode: { instance: name, pairingCode: null, code: response.body.code, base64: response.body.base64 },
    });
    const state = await request(sandbox.app).get(`/instance/connectionState/${name}`).set('apikey', KEY);
    expect(state.body).toEqual({ instance: { instanceName: name, state: 'connecting' } });
  });

  it('When a number is given, then every QR code comes with an 8-character pairing code', async () => {
    const name = await hookedInstance(sandbox);

    const response = await connect(sandbox, name, '?number=254700000001');

    expect(response.body.pairingCode).toMatch(/^[1-9A-HJ-NP-TV-Z]{8}$/);
    const [qr] = await receiver.waitFor(webhookOf('qrcode.updated', name));
    expect((qr!.body.data as { qrcode: { pairingCode: string } }).qrcode.pairingCode).toBe(
      response.body.pairingCode,
    );
  });

  it('When the instance is already pairing, then the QR code shown now is answered again', async () => {
    const name = await hookedInstance(sandbox);
    const first = await connect(sandbox, name);

    const again = await connect(sandbox, name);

    expect(again.body).toEqual(first.body);
  });

  it('When the instance is connecting but has no QR code yet, then the answer is {"count":0}', async () => {
    const name = await hookedInstance(sandbox);
    sandbox.setConnectionState(name, 'connecting');

    const response = await connect(sandbox, name);

    expect(response.body).toEqual({ count: 0 });
  });

  it('When the instance is open, then the connectionState body is answered', async () => {
    const name = await hookedInstance(sandbox, 'open');

    const response = await connect(sandbox, name);

    expect(response.body).toEqual({ instance: { instanceName: name, state: 'open' } });
  });

  it('When the instance does not exist or the key is wrong, then the guards answer as on every route', async () => {
    const name = await hookedInstance(sandbox);

    const missing = await connect(sandbox, 'nobody-here');
    const refused = await request(sandbox.app).get(`/instance/connect/${name}`).set('apikey', 'wrong');

    expect(missing.status).toBe(404);
    expect(missing.body).toEqual({
      status: 404,
      error: 'Not Found',
      response: { message: ['The "nobody-here" instance does not exist'] },
    });
    expect(refused.status).toBe(401);
  });
});

describe('QR code rotation', () => {
  it('When nobody scans, then a new QR code is pushed each interval up to the limit, then the limit message, connection.update refused, and the instance is closed', async () => {
    const rotating = createEvolutionSandbox({
      globalApiKey: KEY,
      serverAckMs: null,
      deliveryAckMs: null,
      readMs: null,
      qrRotationMs: 10,
      qrLimit: 3,
    });
    try {
      const name = await hookedInstance(rotating);
      await connect(rotating, name);

      const refused = await receiver.waitFor(
        (webhook) =>
          webhookOf('connection.update', name)(webhook) &&
          (webhook.body.data as { state: string }).state === 'refused',
      );

      // Each webhook is its own POST: they may arrive in any order.
      const pushed = (await receiver.waitFor(webhookOf('qrcode.updated', name), 4)).map(
        (webhook) => webhook.body.data as { qrcode?: { code: string } },
      );
      const codes = pushed.flatMap((data) => (data.qrcode ? [data.qrcode.code] : []));
      expect(new Set(codes).size).toBe(3);
      expect(pushed).toContainEqual({
        message: 'QR code limit reached, please login again',
        statusCode: 500,
      });
      expect(refused[0]!.body.data).toEqual({ instance: name, state: 'refused', statusReason: 428 });
      expect(rotating.listInstances().find((instance) => instance.name === name)).toMatchObject({
        state: 'close',
        qrCode: null,
      });
    } finally {
      await rotating.close();
    }
  });
});

describe('Control: scanning the QR code', () => {
  it('When the QR code is scanned, then connection.update open carries the owner, the instance is open and sends go through', async () => {
    const name = await hookedInstance(sandbox);
    await connect(sandbox, name);

    const scanned = await request(sandbox.app).post(`/__sandbox/instances/${name}/scan`);

    expect(scanned.status).toBe(200);
    expect(scanned.body).toMatchObject({ name, state: 'open', everConnected: true, qrCode: null });
    const [open] = await receiver.waitFor(
      (webhook) =>
        webhookOf('connection.update', name)(webhook) &&
        (webhook.body.data as { state: string }).state === 'open',
    );
    expect(open!.body.data).toEqual({
      instance: name,
      wuid: '254700000001@s.whatsapp.net',
      profileName: 'Billing ISP',
      profilePictureUrl: null,
      state: 'open',
      statusReason: 200,
    });
    const sent = await request(sandbox.app)
      .post(`/message/sendText/${name}`)
      .set('apikey', KEY)
      .send({ number: '254712345678', text: 'Back online' });
    expect(sent.status).toBe(201);
  });

  it('When no QR code is shown, then scanning is refused with 409', async () => {
    const name = await hookedInstance(sandbox);

    const response = await request(sandbox.app).post(`/__sandbox/instances/${name}/scan`);

    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/shows no QR code to scan/);
  });
});

describe('Control: disconnecting an instance', () => {
  it('When an open instance is disconnected, then connection.update close carries the reason and its sends fail with "Connection Closed"', async () => {
    const name = await hookedInstance(sandbox, 'open');

    const response = await request(sandbox.app)
      .post(`/__sandbox/instances/${name}/disconnect`)
      .send({ statusReason: 428 });

    expect(response.body).toMatchObject({ name, state: 'close' });
    const [closed] = await receiver.waitFor(webhookOf('connection.update', name));
    expect(closed!.body.data).toEqual({ instance: name, state: 'close', statusReason: 428 });
    const sent = await request(sandbox.app)
      .post(`/message/sendText/${name}`)
      .set('apikey', KEY)
      .send({ number: '254712345678', text: 'Hello' });
    expect(sent.status).toBe(500);
    expect(sent.body).toEqual({
      status: 500,
      error: 'Internal Server Error',
      response: { message: 'Connection Closed' },
    });
  });

  it('When no reason is given, then it is 401 (logged out: the number needs a new QR code)', async () => {
    const name = await hookedInstance(sandbox, 'open');

    await request(sandbox.app).post(`/__sandbox/instances/${name}/disconnect`);

    const [closed] = await receiver.waitFor(webhookOf('connection.update', name));
    expect(closed!.body.data).toEqual({ instance: name, state: 'close', statusReason: 401 });
  });
});

describe('DELETE /instance/logout/:name', () => {
  it('When an open instance is logged out, then it answers SUCCESS, reports close 401 and is closed; again, it is not connected (400)', async () => {
    const name = await hookedInstance(sandbox, 'open');

    const first = await request(sandbox.app).delete(`/instance/logout/${name}`).set('apikey', KEY);
    const again = await request(sandbox.app).delete(`/instance/logout/${name}`).set('apikey', KEY);

    expect(first.status).toBe(200);
    expect(first.body).toEqual({
      status: 'SUCCESS',
      error: false,
      response: { message: 'Instance logged out' },
    });
    const [closed] = await receiver.waitFor(webhookOf('connection.update', name));
    expect(closed!.body.data).toEqual({ instance: name, state: 'close', statusReason: 401 });
    expect(again.status).toBe(400);
    expect(again.body).toEqual({
      status: 400,
      error: 'Bad Request',
      response: { message: [`The "${name}" instance is not connected`] },
    });
  });

  it('When a pairing instance is logged out, then its QR codes stop', async () => {
    const name = await hookedInstance(sandbox);
    await connect(sandbox, name);

    await request(sandbox.app).delete(`/instance/logout/${name}`).set('apikey', KEY);

    expect(sandbox.listInstances().find((instance) => instance.name === name)).toMatchObject({
      state: 'close',
      qrCode: null,
    });
  });
});

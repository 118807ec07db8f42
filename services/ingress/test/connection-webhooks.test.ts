import jwt from 'jsonwebtoken';
import request from 'supertest';
import { mintWebhookSecret, type Instance } from '@telenexus/core';
import { WebhookEndpointRepository } from '@telenexus/db';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { issueWebhookCredentials, type WebhookCredentials } from '../../../test/support/webhook-credentials';
import { useIngress } from '../../../test/support/use-ingress';

/**
 * Evolution's news of the WhatsApp connection: `connection.update` (with Baileys' reason) goes into
 * the instance's timeline and is announced to billing systems; `qrcode.updated` keeps the QR code
 * the QR Code tab shows.
 */

const context = useIngress();
let admin: Tenant;
let instance: Instance;
let webhook: WebhookCredentials;

beforeEach(async () => {
  admin = await createTenant(context.db, { permissions: ['admin'] });
  webhook = await issueWebhookCredentials(context.db, admin.instance.id);
  instance = (await context.db.instances.findById(admin.instance.id))!;
});

function post(event: string, data: unknown) {
  const iat = Math.floor(Date.now() / 1000);
  const bearer = jwt.sign({ iat, exp: iat + 600, app: 'evolution', action: 'webhook' }, webhook.jwtKey, {
    algorithm: 'HS256',
  });
  return request(context.ingress.app)
    .post(`/api/v1/webhooks/evolution/${instance.id}/${webhook.token}`)
    .set('Authorization', `Bearer ${bearer}`)
    .send({
      event,
      instance: instance.evolutionInstanceName,
      data,
      destination: 'https://example.test',
      date_time: new Date().toISOString(),
      sender: '254700000000@s.whatsapp.net',
      server_url: 'http://evolution',
      apikey: null,
    });
}

const connection = () =>
  request(context.ingress.app)
    .get(`/api/v1/instances/${instance.id}/connection`)
    .set('Authorization', `Bearer ${admin.apiKey}`);

const QR_IMAGE = 'data:image/png;base64,iVBORw0KGgo=';

describe('connection.update', () => {
  it('When the number drops, then the state is close with the Baileys reason in the timeline, once, and instance.disconnected is queued', async () => {
    await new WebhookEndpointRepository(context.db.dataSource, context.db.secrets).create({
      accountId: admin.accountId,
      url: 'https://billing.example.test/hooks',
      description: null,
      secret: mintWebhookSecret(),
      events: ['instance.disconnected'],
    });
    const update = { instance: instance.evolutionInstanceName, state: 'close', statusReason: 401 };

    const first = await post('connection.update', update);
    const again = await post('connection.update', update);

    expect(first.body).toEqual({
      received: true,
      outcomes: [{ event: 'connection.update', result: 'applied' }],
    });
    expect(again.body).toEqual({
      received: true,
      outcomes: [{ event: 'connection.update', result: 'duplicate' }],
    });
    const answer = await connection();
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({
      state: 'close',
      qr: null,
      events: [
        {
          state: 'close',
          reason: 'connection.update (statusReason 401: logged out)',
          at: expect.any(String),
        },
      ],
    });
    const queued = await context.db.dataSource.query(
      `SELECT event_type, payload->'data'->>'reason' AS reason FROM webhook_deliveries WHERE account_id = $1`,
      [admin.accountId],
    );
    expect(queued).toEqual([
      { event_type: 'instance.disconnected', reason: 'connection.update (statusReason 401: logged out)' },
    ]);
  });

  it('When the QR code limit is reached (state refused), then the instance is closed with that reason', async () => {
    await post('connection.update', {
      instance: instance.evolutionInstanceName,
      state: 'refused',
      statusReason: 428,
    });

    const answer = await connection();

    expect(answer.body.state).toBe('close');
    expect(answer.body.events[0].reason).toBe(
      'connection.update refused: QR code limit reached (statusReason 428: connection closed)',
    );
  });

  it('When the phone scans, then open is recorded and the pairing QR code is gone', async () => {
    await post('connection.update', {
      instance: instance.evolutionInstanceName,
      state: 'connecting',
      statusReason: 200,
    });
    await post('qrcode.updated', {
      qrcode: {
        instance: instance.evolutionInstanceName,
        pairingCode: null,
        code: '2@a,b,c,d',
        base64: QR_IMAGE,
      },
    });

    await post('connection.update', {
      instance: instance.evolutionInstanceName,
      wuid: '254700000001@s.whatsapp.net',
      profileName: 'Billing ISP',
      profilePictureUrl: null,
      state: 'open',
      statusReason: 200,
    });

    const answer = await connection();
    expect(answer.body).toMatchObject({ state: 'open', qr: null });
    expect(
      answer.body.events.map((event: { state: string; reason: string }) => [event.state, event.reason]),
    ).toEqual([
      ['open', 'connection.update (statusReason 200)'],
      ['connecting', 'connection.update (statusReason 200)'],
    ]);
  });
});

describe('qrcode.updated', () => {
  it('When QR codes arrive while pairing, then the latest is what GET connection shows, with its pairing code and count', async () => {
    await post('connection.update', {
      instance: instance.evolutionInstanceName,
      state: 'connecting',
      statusReason: 200,
    });

    const first = await post('qrcode.updated', {
      qrcode: {
        instance: instance.evolutionInstanceName,
        pairingCode: 'ABCD1234',
        code: '2@first',
        base64: QR_IMAGE,
      },
    });
    await post('qrcode.updated', {
      qrcode: {
        instance: instance.evolutionInstanceName,
        pairingCode: 'EFGH5678',
        code: '2@second',
        base64: QR_IMAGE,
      },
    });

    expect(first.body.outcomes).toEqual([{ event: 'qrcode.updated', result: 'applied' }]);
    const answer = await connection();
    expect(answer.body).toMatchObject({
      state: 'connecting',
      qr: { image: QR_IMAGE, code: '2@second', pairing_code: 'EFGH5678', count: 2 },
    });
  });

  it('When the limit message arrives (no QR code in it), then it is acknowledged and ignored', async () => {
    const response = await post('qrcode.updated', {
      message: 'QR code limit reached, please login again',
      statusCode: 500,
    });

    expect(response.status).toBe(200);
    expect(response.body.outcomes).toEqual([{ event: 'qrcode.updated', result: 'ignored' }]);
    expect((await connection()).body.qr).toBeNull();
  });
});

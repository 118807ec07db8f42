import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Instance } from '@telenexus/core';
import { parseEvolutionEvent } from '@telenexus/evolution';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { issueWebhookCredentials, type WebhookCredentials } from '../../../test/support/webhook-credentials';
import {
  HandleEvolutionEvent,
  type ReceiptStore,
} from '../src/evolution-events/handle-evolution-event.use-case';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress({ tenant: true });
let instance: Instance;
let webhook: WebhookCredentials;
let counter = 0;

beforeAll(async () => {
  webhook = await issueWebhookCredentials(context.db, context.tenant.instance.id);
  instance = (await context.db.instances.findById(context.tenant.instance.id))!;
});

function signed(key = instance.webhookJwtKey!, claims: Record<string, unknown> = {}): string {
  const iat = Math.floor(Date.now() / 1000);
  return jwt.sign({ iat, exp: iat + 600, app: 'evolution', action: 'webhook', ...claims }, key, {
    algorithm: 'HS256',
  });
}

function post(body: unknown, options: { token?: string; bearer?: string | null; instanceId?: string } = {}) {
  const call = request(context.ingress.app)
    .post(`/api/v1/webhooks/evolution/${options.instanceId ?? instance.id}/${options.token ?? webhook.token}`)
    .set('Content-Type', 'application/json');
  const bearer = options.bearer === undefined ? signed() : options.bearer;
  return (bearer === null ? call : call.set('Authorization', `Bearer ${bearer}`)).send(body as object);
}

function envelope(event: string, data: unknown) {
  return {
    event,
    instance: instance.evolutionInstanceName,
    data,
    destination: 'https://example.test',
    date_time: new Date().toISOString(),
    sender: '254700000000@s.whatsapp.net',
    server_url: 'http://evolution',
    apikey: 'instance-token',
  };
}

function receipt(keyId: string, status: string) {
  return envelope('messages.update', {
    keyId,
    remoteJid: '254712345678@s.whatsapp.net',
    fromMe: true,
    participant: null,
    status,
    instanceId: 'evo-instance-id',
    messageId: 'evo-row-id',
  });
}

/** A message Evolution accepted, known by its Evolution key id. */
async function sentMessage(): Promise<{ id: string; keyId: string }> {
  counter += 1;
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId: context.tenant.accountId,
    instanceId: instance.id,
    phoneNumber: '254712345678',
    customerName: 'John Doe',
    amount: '1500',
    currency: 'KES',
    invoiceId: `RCPT-${counter}`,
    dueDate: null,
    messageType: 'invoice',
  });
  const keyId = `3EB0${counter.toString(16).toUpperCase().padStart(18, '0')}`;
  await context.db.messages.statuses.claimForSending(message.id, `text ${counter}`);
  await context.db.messages.statuses.markSent(message.id, keyId);
  return { id: message.id, keyId };
}

async function statusOf(id: string) {
  return (await context.db.messages.queries.findById(id))!;
}

describe('Evolution webhook receiver — authentication', () => {
  it('When the instance is unknown, then it answers 404', async () => {
    const response = await post(receipt('X', 'DELIVERY_ACK'), {
      instanceId: '00000000-0000-4000-8000-000000000000',
    });
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
    expect((await post(receipt('X', 'DELIVERY_ACK'), { instanceId: 'nope' })).status).toBe(404);
  });

  it.each([
    ['a wrong path token', { token: 'not-the-token' }, 'Invalid webhook token'],
    ['no JWT', { bearer: null }, 'Missing webhook JWT'],
    ['a JWT signed with another key', { bearer: signed('another-key') }, 'Invalid or expired webhook JWT'],
  ])('When the call has %s, then it answers 401', async (_case, options, detail) => {
    const response = await post(receipt('X', 'DELIVERY_ACK'), options);
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', detail));
  });

  it('When the JWT is signed with the right key but expired, then it answers 401', async () => {
    const expired = jwt.sign({ iat: 1000, exp: 1600 }, instance.webhookJwtKey!, { algorithm: 'HS256' });
    const response = await post(receipt('X', 'DELIVERY_ACK'), { bearer: expired });
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid or expired webhook JWT'));
  });

  it('When the JWT has no expiry, then it answers 401', async () => {
    const noExpiry = jwt.sign({ app: 'evolution' }, instance.webhookJwtKey!, {
      algorithm: 'HS256',
      noTimestamp: true,
    });
    expect((await post(receipt('X', 'DELIVERY_ACK'), { bearer: noExpiry })).status).toBe(401);
  });

  it('When the envelope names another Evolution instance or no event, then it answers 400', async () => {
    const wrong = await post({ ...receipt('X', 'DELIVERY_ACK'), instance: 'someone-else' });
    expect(wrong.status).toBe(400);
    expect(wrong.body.detail).toMatch(/^instance: is someone-else/);
    expect((await post({ data: {} })).status).toBe(400);
  });
});

describe('Evolution webhook receiver — receipts', () => {
  it('When receipts arrive in order, then the message moves sent → delivered → read with timestamps and timeline', async () => {
    const { id, keyId } = await sentMessage();

    const delivered = await post(receipt(keyId, 'DELIVERY_ACK'));
    expect(delivered.status).toBe(200);
    expect(delivered.body.outcomes).toEqual([{ event: 'messages.update', result: 'applied' }]);
    expect(await statusOf(id)).toMatchObject({
      status: 'delivered',
      deliveredAt: expect.any(Date),
      readAt: null,
    });

    await post(receipt(keyId, 'READ'));
    expect(await statusOf(id)).toMatchObject({ status: 'read', readAt: expect.any(Date) });
    const timeline = (await context.db.messages.queries.listEvents(id)).map((event) => [
      event.type,
      event.status,
      event.detail,
    ]);
    expect(timeline.slice(-2)).toEqual([
      ['receipt', 'delivered', 'WhatsApp reported DELIVERY_ACK'],
      ['receipt', 'read', 'WhatsApp reported READ'],
    ]);
  });

  it('When a receipt repeats or comes late, then it is answered 200 and changes nothing backwards', async () => {
    const { id, keyId } = await sentMessage();
    await post(receipt(keyId, 'READ'));
    const eventsBefore = (await context.db.messages.queries.listEvents(id)).length;

    for (const status of ['READ', 'DELIVERY_ACK', 'SERVER_ACK', 'ERROR', 'PENDING']) {
      const response = await post(receipt(keyId, status));
      expect(response.status).toBe(200);
      expect(response.body.outcomes[0].result).toMatch(/duplicate|ignored/);
    }

    expect(await statusOf(id)).toMatchObject({ status: 'read', lastError: null });
    expect((await context.db.messages.queries.listEvents(id)).length).toBe(eventsBefore);
  });

  it('When READ arrives before DELIVERY_ACK, then the message is read and counts as delivered too', async () => {
    const { id, keyId } = await sentMessage();
    await post(receipt(keyId, 'READ'));
    await post(receipt(keyId, 'DELIVERY_ACK'));
    expect(await statusOf(id)).toMatchObject({
      status: 'read',
      deliveredAt: expect.any(Date),
      readAt: expect.any(Date),
    });
  });

  it('When a voice note is PLAYED or an ERROR comes for a sent message, then they map to read and failed', async () => {
    const played = await sentMessage();
    await post(receipt(played.keyId, 'PLAYED'));
    expect((await statusOf(played.id)).status).toBe('read');

    const errored = await sentMessage();
    await post(receipt(errored.keyId, 'ERROR'));
    expect(await statusOf(errored.id)).toMatchObject({
      status: 'failed',
      lastError: 'WhatsApp reported an error (ERROR)',
    });
  });

  it('When a receipt names a key id we do not know yet, then it is held and applied once the send is recorded', async () => {
    counter += 1;
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: context.tenant.accountId,
      instanceId: instance.id,
      phoneNumber: '254712345678',
      customerName: 'Early',
      amount: '10',
      currency: 'KES',
      invoiceId: `EARLY-${counter}`,
      dueDate: null,
      messageType: 'invoice',
    });
    await context.db.messages.statuses.claimForSending(message.id, 'text');

    const early = await post(receipt('3EB0EARLYRECEIPT000001', 'DELIVERY_ACK'));
    expect(early.body.outcomes).toEqual([{ event: 'messages.update', result: 'held' }]);
    expect((await statusOf(message.id)).status).toBe('sending');

    await context.db.messages.statuses.markSent(message.id, '3EB0EARLYRECEIPT000001');
    await context.db.messages.statuses.applyPendingReceipts(instance.id, '3EB0EARLYRECEIPT000001');
    expect((await statusOf(message.id)).status).toBe('delivered');
  });

  it('When a receipt finds no row and the send is recorded right after, then it is applied, not taken for a duplicate', async () => {
    const { id: messageId, keyId } = await sentMessage();
    // The interleaving: the first try ran before the send's record committed, so it found no row.
    const statuses = context.db.messages.statuses;
    let firstTry = true;
    const racing: ReceiptStore = {
      applyReceipt: (...args) => {
        if (!firstTry) return statuses.applyReceipt(...args);
        firstTry = false;
        return Promise.resolve(null);
      },
      isSendRecorded: (...args) => statuses.isSendRecorded(...args),
      addPendingReceipt: (...args) => statuses.addPendingReceipt(...args),
      applyPendingReceipts: (...args) => statuses.applyPendingReceipts(...args),
      confirmSendByContent: (...args) => statuses.confirmSendByContent(...args),
    };
    const handler = new HandleEvolutionEvent(
      { statuses: racing, acceptance: context.db.messages.acceptance },
      context.db.instances,
      createCapturedLogger().logger,
    );

    const outcomes = await handler.execute(instance, parseEvolutionEvent(receipt(keyId, 'DELIVERY_ACK'))!);

    expect(outcomes).toEqual([{ event: 'messages.update', result: 'applied' }]);
    expect((await statusOf(messageId)).status).toBe('delivered');
  });

  it('When Evolution reports the send of a message whose answer was lost, then the unknown message becomes sent', async () => {
    counter += 1;
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: context.tenant.accountId,
      instanceId: instance.id,
      phoneNumber: '254712345678',
      customerName: 'Lost',
      amount: '10',
      currency: 'KES',
      invoiceId: `LOST-${counter}`,
      dueDate: null,
      messageType: 'invoice',
    });
    const text = `Lost answer text ${counter}`;
    await context.db.messages.statuses.claimForSending(message.id, text);
    await context.db.messages.statuses.markUnknown(message.id, 'timeout after the request was written');

    const response = await post(
      envelope('send.message', {
        key: { remoteJid: '254712345678@s.whatsapp.net', fromMe: true, id: '3EB0CONFIRMED0000000001' },
        pushName: '',
        status: 'PENDING',
        message: { conversation: text },
        messageType: 'conversation',
        messageTimestamp: Math.floor(Date.now() / 1000),
        instanceId: 'evo',
        source: 'web',
      }),
    );

    expect(response.body.outcomes).toEqual([{ event: 'send.message', result: 'applied' }]);
    expect(await statusOf(message.id)).toMatchObject({
      status: 'sent',
      providerMessageId: '3EB0CONFIRMED0000000001',
    });
    expect((await context.db.messages.queries.listEvents(message.id)).at(-1)?.detail).toMatch(
      /Evolution confirmed the send/,
    );
  });

  it('When a status changes and the account has a webhook endpoint, then its delivery is queued with the change', async () => {
    const [endpoint]: { id: string }[] = await context.db.dataSource.query(
      `INSERT INTO webhook_endpoints (account_id, url, secret, events)
       VALUES ($1, 'https://billing.example.test/hooks', 'whsec_test', ARRAY['message.delivered']) RETURNING id`,
      [context.tenant.accountId],
    );
    const { id, keyId } = await sentMessage();

    await post(receipt(keyId, 'DELIVERY_ACK'));

    const deliveries: { event_type: string; payload: { type: string; data: Record<string, unknown> } }[] =
      await context.db.dataSource.query(
        'SELECT event_type, payload FROM webhook_deliveries WHERE message_id = $1',
        [id],
      );
    expect(deliveries).toEqual([
      {
        event_type: 'message.delivered',
        payload: expect.objectContaining({
          type: 'message.delivered',
          data: expect.objectContaining({ message_id: id, status: 'delivered', provider_message_id: keyId }),
        }),
      },
    ]);
    await context.db.dataSource.query('DELETE FROM webhook_endpoints WHERE id = $1', [endpoint!.id]);
  });
});

describe('Evolution webhook receiver — connection and replies', () => {
  it('When the connection closes and reopens, then ingress refuses and then accepts sends for the instance', async () => {
    const send = () =>
      request(context.ingress.app)
        .post(`/api/v1/billing/send-notification?instance_id=${instance.id}`)
        .set('Authorization', `Bearer ${context.tenant.apiKey}`)
        .send({
          phone_number: '254712345678',
          customer_name: 'John',
          amount: 1,
          currency: 'KES',
          invoice_id: 'CONN-1',
          message_type: 'invoice',
        });

    await post(
      envelope('CONNECTION_UPDATE', {
        instance: instance.evolutionInstanceName,
        state: 'close',
        statusReason: 401,
      }),
    );
    expect((await context.db.instances.findById(instance.id))?.connectionState).toBe('close');
    expect((await send()).body).toEqual(problem('instance_not_connected', 'Instance is not connected'));

    await post(
      envelope('connection.update', {
        instance: instance.evolutionInstanceName,
        state: 'open',
        statusReason: 200,
      }),
    );
    expect((await send()).status).toBe(200);
  });

  it('When a customer writes, then the message is stored once as incoming; our own and group messages are not', async () => {
    const upsert = (key: Record<string, unknown>) =>
      envelope('messages.upsert', {
        key,
        pushName: 'Jane Customer',
        message: { conversation: 'Received, thank you' },
        messageType: 'conversation',
        messageTimestamp: Math.floor(Date.now() / 1000),
      });

    const first = await post(
      upsert({ remoteJid: '254711111111@s.whatsapp.net', fromMe: false, id: 'IN-0001' }),
    );
    const again = await post(
      upsert({ remoteJid: '254711111111@s.whatsapp.net', fromMe: false, id: 'IN-0001' }),
    );
    const ours = await post(
      upsert({ remoteJid: '254711111111@s.whatsapp.net', fromMe: true, id: 'IN-0002' }),
    );
    const group = await post(upsert({ remoteJid: '1203630@g.us', fromMe: false, id: 'IN-0003' }));

    expect([first, again, ours, group].map((response) => response.body.outcomes[0].result)).toEqual([
      'applied',
      'duplicate',
      'ignored',
      'ignored',
    ]);
    const rows: {
      direction: string;
      phone_number: string;
      body: string;
      customer_name: string;
      status: string;
    }[] = await context.db.dataSource.query(
      // This instance's rows only: other test files store replies with ids like these too.
      "SELECT direction, phone_number, body, customer_name, status FROM messages WHERE instance_id = $1 AND provider_message_id LIKE 'IN-%'",
      [instance.id],
    );
    expect(rows).toEqual([
      {
        direction: 'incoming',
        phone_number: '254711111111',
        body: 'Received, thank you',
        customer_name: 'Jane Customer',
        status: 'received',
      },
    ]);
  });

  it('When Evolution sends an event we do not use, then it is acknowledged and ignored', async () => {
    const response = await post(envelope('chats.update', {}));
    expect(response.status).toBe(200);
    expect(response.body.outcomes).toEqual([{ event: 'chats.update', result: 'ignored' }]);
  });
});

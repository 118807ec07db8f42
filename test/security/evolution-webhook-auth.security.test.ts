import { randomBytes } from 'node:crypto';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Instance } from '@telenexus/core';
import { createTenant } from '../support/test-context';
import { useIngress } from '../support/use-ingress';
import { issueWebhookCredentials } from '../support/webhook-credentials';
import { problem } from '../support/expected-problem';
import { problemBodyViolation } from './security-support';

/**
 * `POST /api/v1/webhooks/evolution/:instance_id/:token`: Evolution's side, authenticated by the
 * path token and an HS256 JWT per instance. Every forged, stale or misdirected call is refused (401,
 * or 404 for an unknown instance), never a 5xx, and changes nothing.
 */

const context = useIngress();

/** The instance under attack, with a sent message receipts would move. */
let x: Instance;
/** Another account's instance, whose credentials must not open X. */
let y: Instance;
/** The webhook path tokens Evolution was given for X and Y (only their hashes are stored). */
let xToken: string;
let yToken: string;
let xMessage: { id: string; keyId: string };
let yMessage: { id: string; keyId: string };

beforeAll(async () => {
  const tenantX = await createTenant(context.db);
  const tenantY = await createTenant(context.db);
  xToken = (await issueWebhookCredentials(context.db, tenantX.instance.id)).token;
  yToken = (await issueWebhookCredentials(context.db, tenantY.instance.id)).token;
  x = (await context.db.instances.findById(tenantX.instance.id))!;
  y = (await context.db.instances.findById(tenantY.instance.id))!;
  xMessage = await sentMessage(tenantX.accountId, x, 'X');
  yMessage = await sentMessage(tenantY.accountId, y, 'Y');
});

async function sentMessage(accountId: string, instance: Instance, label: string) {
  const message = await context.db.messages.acceptance.insertOutgoing({
    accountId,
    instanceId: instance.id,
    phoneNumber: '254712345678',
    customerName: 'John Doe',
    amount: '1500',
    currency: 'KES',
    invoiceId: `AUTH-${label}`,
    dueDate: null,
    messageType: 'invoice',
  });
  const keyId = `3EB0${randomBytes(9).toString('hex').toUpperCase()}`;
  await context.db.messages.statuses.claimForSending(message.id, 'text');
  await context.db.messages.statuses.markSent(message.id, keyId);
  return { id: message.id, keyId };
}

const now = () => Math.floor(Date.now() / 1000);

function signed(key: string, claims: Record<string, unknown> = {}, options: jwt.SignOptions = {}): string {
  return jwt.sign({ iat: now(), exp: now() + 600, app: 'evolution', action: 'webhook', ...claims }, key, {
    algorithm: 'HS256',
    ...options,
  });
}

/** A JWT with `alg: none` and no signature, as an attacker would write one. */
function unsigned(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  return `${part({ alg: 'none', typ: 'JWT' })}.${part({ iat: now(), exp: now() + 600, ...claims })}.`;
}

/** The three kinds of event that would change something if let in. */
function events(instance: Instance, keyId: string) {
  const envelope = (event: string, data: unknown) => ({
    event,
    instance: instance.evolutionInstanceName,
    data,
  });
  return [
    envelope('messages.update', {
      keyId,
      remoteJid: '254712345678@s.whatsapp.net',
      fromMe: true,
      status: 'READ',
    }),
    envelope('connection.update', {
      instance: instance.evolutionInstanceName,
      state: 'close',
      statusReason: 401,
    }),
    envelope('messages.upsert', {
      // Not `IN-…`: another test file counts every incoming message with that prefix.
      key: {
        remoteJid: '254799999999@s.whatsapp.net',
        fromMe: false,
        id: `SEC-${randomBytes(6).toString('hex')}`,
      },
      pushName: 'Mallory',
      message: { conversation: 'forged' },
      messageType: 'conversation',
      messageTimestamp: now(),
    }),
  ];
}

/** What the calls could change: the messages' status and timeline, the connection, incoming messages. */
async function stateOf() {
  const incoming: { n: number }[] = await context.db.dataSource.query(
    `SELECT count(*)::int AS n FROM messages WHERE instance_id = ANY($1) AND direction = 'incoming'`,
    [[x.id, y.id]],
  );
  const read = async (id: string) => {
    const message = (await context.db.messages.queries.findById(id))!;
    return {
      status: message.status,
      readAt: message.readAt,
      events: (await context.db.messages.queries.listEvents(id)).length,
    };
  };
  const connection = async (id: string) => {
    const instance = (await context.db.instances.findById(id))!;
    return [instance.connectionState, instance.connectionStateAt];
  };
  return {
    x: await read(xMessage.id),
    y: await read(yMessage.id),
    xConnection: await connection(x.id),
    yConnection: await connection(y.id),
    incoming: incoming[0]!.n,
  };
}

interface Attempt {
  /** The instance id in the path. */
  readonly instanceId: string;
  readonly token: string;
  /** The Authorization header, if any. */
  readonly authorization?: string;
}

type Case = readonly [name: string, attempt: () => Attempt, status: 401 | 404, detail: string];

const CASES: readonly Case[] = [
  ['no Authorization header', () => ({ instanceId: x.id, token: xToken }), 401, 'Missing webhook JWT'],
  [
    'a Basic Authorization header',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Basic ${Buffer.from(`a:${x.webhookJwtKey!}`).toString('base64')}`,
    }),
    401,
    'Missing webhook JWT',
  ],
  [
    'a JWT signed with another key',
    () => ({ instanceId: x.id, token: xToken, authorization: `Bearer ${signed('not-the-key')}` }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'an expired JWT signed with the right key',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Bearer ${signed(x.webhookJwtKey!, { iat: now() - 7200, exp: now() - 3600 })}`,
    }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'a JWT without exp',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Bearer ${jwt.sign({ app: 'evolution' }, x.webhookJwtKey!, { algorithm: 'HS256', noTimestamp: true })}`,
    }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'a JWT not valid before an hour from now',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Bearer ${signed(x.webhookJwtKey!, { nbf: now() + 3600 })}`,
    }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'an alg:none JWT',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Bearer ${unsigned({ app: 'evolution' })}`,
    }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'an HS512 JWT with the right key (only HS256 is Evolution’s)',
    () => ({
      instanceId: x.id,
      token: xToken,
      authorization: `Bearer ${signed(x.webhookJwtKey!, {}, { algorithm: 'HS512' })}`,
    }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'a JWT signed with the path token instead of the JWT key',
    () => ({ instanceId: x.id, token: xToken, authorization: `Bearer ${signed(xToken)}` }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    "a JWT signed with Y's key on X's URL",
    () => ({ instanceId: x.id, token: xToken, authorization: `Bearer ${signed(y.webhookJwtKey!)}` }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'a correct JWT with a wrong path token',
    () => ({
      instanceId: x.id,
      token: randomBytes(32).toString('base64url'),
      authorization: `Bearer ${signed(x.webhookJwtKey!)}`,
    }),
    401,
    'Invalid webhook token',
  ],
  [
    'a correct JWT with the path token cut by one character',
    () => ({
      instanceId: x.id,
      token: xToken.slice(0, -1),
      authorization: `Bearer ${signed(x.webhookJwtKey!)}`,
    }),
    401,
    'Invalid webhook token',
  ],
  [
    "X's token and JWT on Y's id",
    () => ({ instanceId: y.id, token: xToken, authorization: `Bearer ${signed(x.webhookJwtKey!)}` }),
    401,
    'Invalid webhook token',
  ],
  [
    "X's token with Y's JWT on Y's id",
    () => ({ instanceId: y.id, token: xToken, authorization: `Bearer ${signed(y.webhookJwtKey!)}` }),
    401,
    'Invalid webhook token',
  ],
  [
    "Y's token with X's JWT on X's id",
    () => ({ instanceId: x.id, token: yToken, authorization: `Bearer ${signed(x.webhookJwtKey!)}` }),
    401,
    'Invalid webhook token',
  ],
  [
    'an 8 KB path token',
    () => ({
      instanceId: x.id,
      token: 'a'.repeat(8 * 1024),
      authorization: `Bearer ${signed(x.webhookJwtKey!)}`,
    }),
    401,
    'Invalid webhook token',
  ],
  [
    'an 8 KB Bearer token',
    () => ({ instanceId: x.id, token: xToken, authorization: `Bearer ${'a'.repeat(8 * 1024)}` }),
    401,
    'Invalid or expired webhook JWT',
  ],
  [
    'an unknown instance with valid-looking credentials',
    () => ({
      instanceId: '00000000-0000-4000-8000-000000000000',
      token: xToken,
      authorization: `Bearer ${signed(x.webhookJwtKey!)}`,
    }),
    404,
    'Instance not found',
  ],
  [
    'an instance id that is not a UUID',
    () => ({
      instanceId: `${x.id}'--`,
      token: xToken,
      authorization: `Bearer ${signed(x.webhookJwtKey!)}`,
    }),
    404,
    'Instance not found',
  ],
];

describe('Evolution webhook receiver — forged and misdirected calls', () => {
  it.each(CASES)(
    'When a call has %s, then it answers the documented refusal and nothing changes',
    async (_name, attempt, status, detail) => {
      const before = await stateOf();
      const { instanceId, token, authorization } = attempt();
      for (const body of events(x, xMessage.keyId)) {
        const call = request(context.ingress.app)
          .post(`/api/v1/webhooks/evolution/${encodeURIComponent(instanceId)}/${encodeURIComponent(token)}`)
          .set('Content-Type', 'application/json');
        const response = await (
          authorization === undefined ? call : call.set('Authorization', authorization)
        ).send(body);
        expect(response.status).toBe(status);
        expect(response.body).toEqual(problem(status === 401 ? 'unauthenticated' : 'not_found', detail));
        expect(problemBodyViolation(response.body, response.text, response.status)).toBeUndefined();
      }
      expect(await stateOf()).toEqual(before);
    },
  );

  it('When the same three events come with authentic credentials, then each changes something (the refusals above are not vacuous)', async () => {
    const tenantZ = await createTenant(context.db);
    const zToken = (await issueWebhookCredentials(context.db, tenantZ.instance.id)).token;
    const z = (await context.db.instances.findById(tenantZ.instance.id))!;
    const zMessage = await sentMessage(tenantZ.accountId, z, 'Z');
    for (const body of events(z, zMessage.keyId)) {
      const response = await request(context.ingress.app)
        .post(`/api/v1/webhooks/evolution/${z.id}/${zToken}`)
        .set('Authorization', `Bearer ${signed(z.webhookJwtKey!)}`)
        .send(body);
      expect(response.status).toBe(200);
    }
    expect((await context.db.messages.queries.findById(zMessage.id))?.status).toBe('read');
    expect((await context.db.instances.findById(z.id))?.connectionState).toBe('close');
    const incoming: { n: number }[] = await context.db.dataSource.query(
      `SELECT count(*)::int AS n FROM messages WHERE instance_id = $1 AND direction = 'incoming'`,
      [z.id],
    );
    expect(incoming[0]!.n).toBe(1);
  });

  it("When X's own, valid credentials carry a receipt for Y's message, then Y's message does not move", async () => {
    const before = await stateOf();
    for (const body of [
      events(x, yMessage.keyId)[0]!,
      { ...events(y, yMessage.keyId)[0]!, instance: x.evolutionInstanceName },
    ]) {
      const response = await request(context.ingress.app)
        .post(`/api/v1/webhooks/evolution/${x.id}/${xToken}`)
        .set('Authorization', `Bearer ${signed(x.webhookJwtKey!)}`)
        .send(body);
      expect(response.status).toBe(200);
    }
    const after = await stateOf();
    expect(after.y).toEqual(before.y);
    expect(after.yConnection).toEqual(before.yConnection);
  });

  it("When X's credentials post an envelope naming Y's Evolution instance, then it answers 400 and nothing changes", async () => {
    const before = await stateOf();
    const response = await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${x.id}/${xToken}`)
      .set('Authorization', `Bearer ${signed(x.webhookJwtKey!)}`)
      .send(events(y, yMessage.keyId)[1]);
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(/^instance: is /);
    expect(await stateOf()).toEqual(before);
  });

  // Regression: a malformed percent-escape makes the router throw a URIError carrying status 400;
  // the error responder must keep that 400 (a 5xx would make Evolution retry for ever).
  it('When the path token is malformed percent-encoding, then it answers 400, not 5xx', async () => {
    const response = await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${x.id}/%E0%A4%A`)
      .set('Authorization', `Bearer ${signed(x.webhookJwtKey!)}`)
      .send(events(x, xMessage.keyId)[0]);
    expect(response.status).toBe(400); // a malformed URL: refused, never a 5xx Evolution would retry
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { createTenant, type Tenant } from '../support/test-context';
import { useIngress } from '../support/use-ingress';
import { ALL_PERMISSIONS, as, guideBody } from './security-support';
import { apiKeyRoutes } from './route-discovery';

/**
 * A `support` key reads its own account's instances, messages, batches and queues, and changes
 * nothing. The routes are discovered from the running app (see route-discovery.ts), so a route
 * added later is refused to support unless it is listed below as one support may read.
 */

/** Everything a support key may call (it changes nothing); every other API-key route must answer it 403. */
const SUPPORT_READS = [
  'GET /api/v1/instances',
  'GET /api/v1/instances/:id',
  'GET /api/v1/instances/:id/connection',
  'GET /api/v1/instances/:id/messages',
  'GET /api/v1/instances/:id/queue',
  'GET /api/v1/instances/:id/batches',
  'GET /api/v1/messages/:id',
  'GET /api/v1/billing/batches/:id',
  // Renders the four texts, or a template being written, with sample values: no account's data, no change.
  'GET /api/v1/templates/preview',
  'POST /api/v1/templates/preview',
  // The account's own wording, read to answer "what did the customer get, in which words?".
  'GET /api/v1/templates',
] as const;
const SIGN_IN = 'POST /api/v1/console/sign-in';
const EVOLUTION_TOKEN = `evo-token-${randomUUID()}`;

/** One of each resource of an account. */
interface Resources {
  readonly apiKeyId: string;
  readonly instanceId: string;
  readonly messageId: string;
  readonly replyId: string;
  readonly batchId: string;
  readonly endpointId: string;
}

const context = useIngress({ operator: { permissions: ['admin'] } });
let mine: Tenant;
let theirs: Tenant;
let support: { readonly apiKey: string };
let own: Resources;
let foreign: Resources;
let discovered: string[];

async function supportKey(tenant: Tenant): Promise<{ apiKey: string }> {
  const created = await context.db.provisioning.apiKeys.create({
    accountId: tenant.accountId,
    name: 'Support desk',
    permissions: ['support'],
  });
  return { apiKey: created.secret };
}

/** A sent message, a batch, a customer's reply and a webhook endpoint, made as the account would. */
async function resourcesOf(tenant: Tenant): Promise<Resources> {
  const sent = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
    .set(as(tenant))
    .send(guideBody({ invoice_id: `ONE-${randomUUID().slice(0, 8)}` }));
  expect(sent.status).toBe(200);
  const batch = await request(context.ingress.app)
    .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
    .set(as(tenant))
    .send({ notifications: [guideBody({ invoice_id: 'BATCH-1' }), guideBody({ invoice_id: 'BATCH-2' })] });
  expect(batch.status).toBe(200);
  const reply = await context.db.messages.acceptance.insertIncoming({
    accountId: tenant.accountId,
    instanceId: tenant.instance.id,
    phoneNumber: '254712345678',
    senderName: 'Customer',
    text: 'I paid yesterday',
    providerMessageId: `IN-${randomUUID()}`,
  });
  const endpoint = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: 'https://93.184.216.34/hooks' });
  expect(endpoint.status).toBe(201);
  return {
    apiKeyId: tenant.apiKeyId,
    instanceId: tenant.instance.id,
    messageId: String(sent.body.message_id),
    replyId: reply!.id,
    batchId: String(batch.body.batch_id),
    endpointId: String(endpoint.body.id),
  };
}

beforeAll(async () => {
  mine = await createTenant(context.db, { permissions: ALL_PERMISSIONS });
  theirs = await createTenant(context.db, { permissions: ALL_PERMISSIONS });
  support = await supportKey(mine);
  // A stored Evolution token, which no answer to support (or anyone) may carry.
  await context.db.instances.update(mine.accountId, mine.instance.id, { evolutionToken: EVOLUTION_TOKEN });
  own = await resourcesOf(mine);
  foreign = await resourcesOf(theirs);
  discovered = await apiKeyRoutes(context.ingress.app);
});

/** The URL of a route with the given account's resource in place of `:id`. */
function urlFor(route: string, resources: Resources): string {
  const path = route.split(' ')[1]!;
  const id = path.startsWith('/api/v1/api-keys/')
    ? resources.apiKeyId
    : path.startsWith('/api/v1/instances/')
      ? resources.instanceId
      : path.startsWith('/api/v1/messages/')
        ? resources.messageId
        : path.startsWith('/api/v1/billing/batches/')
          ? resources.batchId
          : path.startsWith('/api/v1/webhook-endpoints/')
            ? resources.endpointId
            : randomUUID();
  const url = path.replace(/:[A-Za-z_]+/g, id);
  // The send endpoints name their instance in the query.
  return path.startsWith('/api/v1/billing/send-') ? `${url}?instance_id=${resources.instanceId}` : url;
}

function call(route: string, url: string, key: string, body?: object) {
  const method = route.split(' ')[0]!.toLowerCase() as 'get' | 'post' | 'patch' | 'put' | 'delete';
  const started = request(context.ingress.app)[method](url).set('Authorization', `Bearer ${key}`);
  return body === undefined ? started : started.send(body);
}

/** What an admin of the account sees of everything support could try to change. */
async function snapshotOf(tenant: Tenant, resources: Resources) {
  const read = async (path: string) =>
    (await request(context.ingress.app).get(path).set(as(tenant))).body as unknown;
  return {
    // Its use is recorded on the support key itself; that is not a change support made.
    keys: ((await read('/api/v1/api-keys')) as { data: Record<string, unknown>[] }).data.map(
      ({ last_used_at: _used, ...key }) => key,
    ),
    instances: await read('/api/v1/instances'),
    integration: await read(`/api/v1/instances/${resources.instanceId}/integration`),
    connection: await read(`/api/v1/instances/${resources.instanceId}/connection`),
    endpoints: await read('/api/v1/webhook-endpoints'),
    message: await read(`/api/v1/messages/${resources.messageId}`),
  };
}

describe('A support key', () => {
  it('When the routes are discovered, then the read routes and the sign-in are among them (so the list below is not stale)', () => {
    expect(discovered.length).toBeGreaterThan(SUPPORT_READS.length);
    for (const route of [...SUPPORT_READS, SIGN_IN]) expect(discovered).toContain(route);
  });

  it('When it calls every management route (every other API-key route), then each answers 403 and nothing changes', async () => {
    const management = discovered.filter(
      (route) => route !== SIGN_IN && !(SUPPORT_READS as readonly string[]).includes(route),
    );
    // Every change, and the admin-only reads (keys, webhooks, the integration details…).
    expect(management.filter((route) => !route.startsWith('GET ')).length).toBeGreaterThan(10);
    expect(management).toEqual(
      expect.arrayContaining([
        'GET /api/v1/api-keys',
        'GET /api/v1/webhook-endpoints',
        'GET /api/v1/instances/:id/integration',
      ]),
    );
    const before = await snapshotOf(mine, own);

    const answers: Record<string, unknown> = {};
    for (const route of management) {
      const body = route.startsWith('GET ') ? undefined : {};
      const response = await call(route, urlFor(route, own), support.apiKey, body);
      answers[route] = { status: response.status, code: response.body.code };
    }

    expect(answers).toEqual(
      Object.fromEntries(management.map((route) => [route, { status: 403, code: 'forbidden' }])),
    );
    expect(await snapshotOf(mine, own)).toEqual(before);
  });

  it.each(SUPPORT_READS.filter((route) => route.includes(':id')))(
    "When it reads %s of its own account, then it answers 200; with another account's id, the 404 of an id nobody has",
    async (route) => {
      const ownAnswer = await call(route, urlFor(route, own), support.apiKey);
      expect(ownAnswer.status).toBe(200);

      const foreignAnswer = await call(route, urlFor(route, foreign), support.apiKey);
      const missing = await call(route, route.split(' ')[1]!.replace(':id', randomUUID()), support.apiKey);
      expect(foreignAnswer.status).toBe(404);
      expect(foreignAnswer.body).toEqual(missing.body);
      expect(JSON.stringify(foreignAnswer.body)).not.toContain(theirs.accountId);
    },
  );

  it("When it lists the instances, then it sees its account's, none of another's, and no secret", async () => {
    const response = await call('GET /api/v1/instances', '/api/v1/instances', support.apiKey);
    expect(response.status).toBe(200);
    expect(response.body.data.map((instance: { id: string }) => instance.id)).toEqual([own.instanceId]);
    // Whatever form the secrets are stored in (plain, encrypted, hashed), none is in the answer.
    const [stored] = await context.db.dataSource.query<Record<string, unknown>[]>(
      'SELECT * FROM instances WHERE id = $1',
      [own.instanceId],
    );
    const secrets = Object.entries(stored ?? {}).filter(
      ([column, value]) => /token|secret|jwt/.test(column) && typeof value === 'string' && value.length > 0,
    );
    const text = JSON.stringify(response.body);
    expect(text).not.toContain(EVOLUTION_TOKEN);
    for (const [, secret] of secrets) expect(text).not.toContain(String(secret));
    expect(response.body.data[0].has_evolution_token).toBe(true);
  });

  it('When it reads the messages, then it sees both directions: the notifications and the replies, with timelines', async () => {
    const list = await call(
      'GET /api/v1/instances/:id/messages',
      `/api/v1/instances/${own.instanceId}/messages`,
      support.apiKey,
    );
    const ids = list.body.data.map((message: { id: string }) => message.id);
    expect(ids).toEqual(expect.arrayContaining([own.messageId, own.replyId]));

    const reply = await call('GET /api/v1/messages/:id', `/api/v1/messages/${own.replyId}`, support.apiKey);
    expect(reply.status).toBe(200);
    expect(reply.body).toMatchObject({ direction: 'incoming', events: [{ type: 'received' }] });
  });

  it('When a pairing QR code is stored, then the admin sees it and support sees the state and timeline without it', async () => {
    await context.db.dataSource.query(
      `INSERT INTO instance_qr_codes (instance_id, code, image, pairing_code, count)
       VALUES ($1, '2@secret-pairing', 'data:image/png;base64,AAAA', 'ABCD-EFGH', 1)
       ON CONFLICT (instance_id) DO UPDATE SET code = EXCLUDED.code`,
      [own.instanceId],
    );
    await context.db.dataSource.query(`UPDATE instances SET connection_state = 'connecting' WHERE id = $1`, [
      own.instanceId,
    ]);
    const path = `/api/v1/instances/${own.instanceId}/connection`;

    const admin = await request(context.ingress.app).get(path).set(as(mine));
    const forSupport = await call('GET /api/v1/instances/:id/connection', path, support.apiKey);

    expect(admin.body.qr).toMatchObject({ code: '2@secret-pairing', pairing_code: 'ABCD-EFGH' });
    expect(forSupport.status).toBe(200);
    expect(forSupport.body).toEqual({ ...admin.body, qr: null });
  });

  it('When it signs in to the console, then it gets the read-only role', async () => {
    const response = await call(SIGN_IN, '/api/v1/console/sign-in', support.apiKey);
    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      account_id: mine.accountId,
      role: 'support',
      permissions: ['support'],
    });
  });
});

describe('The queue dashboard and support keys', () => {
  // bull-board shows every account's jobs: only the operator gets in, never support staff.
  it("When a support key of the operator's own account opens the dashboard, as a password or a Bearer token, then it is refused", async () => {
    const operatorSupport = await supportKey(context.operator);
    const basic = `Basic ${Buffer.from(`support:${operatorSupport.apiKey}`).toString('base64')}`;
    for (const authorization of [basic, `Bearer ${operatorSupport.apiKey}`]) {
      const response = await request(context.ingress.app)
        .get('/admin/queues/')
        .set('Authorization', authorization);
      expect(response.status).toBe(401);
    }
    // The operator's admin key does get in, so the refusal above is about the permission.
    const admin = await request(context.ingress.app)
      .get('/admin/queues/')
      .set('Authorization', `Bearer ${context.operator.apiKey}`);
    expect(admin.status).toBe(200);
  });
});

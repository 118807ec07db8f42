import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { HostResolver } from '@telenexus/core';
import { sentMessage } from '../../../test/support/sent-message';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createWebhookEndpointsApp, type WebhookEndpointsApp } from './webhook-endpoints-app';
import { problem } from '../../../test/support/expected-problem';

const DNS: Record<string, readonly string[]> = {
  'billing.example.com': ['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946'],
  'other.example.com': ['93.184.216.35'],
  'intranet.example.com': ['10.20.30.40'],
  'rebind.example.com': ['93.184.216.34', '127.0.0.1'],
  localhost: ['127.0.0.1', '::1'],
};
const resolveHost: HostResolver = (hostname) => {
  const addresses = DNS[hostname];
  return addresses ? Promise.resolve(addresses) : Promise.reject(new Error(`ENOTFOUND ${hostname}`));
};

/** What an endpoint registered without `events` gets: every event but the opt-in message.queued. */
const ALL_EVENTS = [
  'message.sent',
  'message.delivered',
  'message.read',
  'message.failed',
  'message.expired',
  'message.canceled',
  'instance.disconnected',
  'instance.connected',
  'message.received',
];
// Standard Webhooks: whsec_ + 32 bytes in standard base64.
const SECRET = /^whsec_[A-Za-z0-9+/]{43}=$/;
const DAY_MS = 24 * 3600 * 1000;

const context = useTestDatabase();
let strict: WebhookEndpointsApp;
let relaxed: WebhookEndpointsApp;
let admin: Tenant;
let other: Tenant;

beforeAll(async () => {
  strict = createWebhookEndpointsApp(context.db, { allowPrivateUrls: false, resolveHost });
  relaxed = createWebhookEndpointsApp(context.db, { allowPrivateUrls: true, resolveHost });
  admin = await createTenant(context.db, { permissions: ['admin', 'send_message'] });
  other = await createTenant(context.db, { permissions: ['admin'] });
});

afterAll(async () => {
  await strict.close();
  await relaxed.close();
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

interface EndpointBody {
  id: string;
  url: string;
  secret: string;
  events: string[];
  enabled: boolean;
}

async function createEndpoint(body: Record<string, unknown> = {}, tenant: Tenant = admin) {
  const response = await request(strict.app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: 'https://billing.example.com/telenexus', ...body });
  expect(response.status).toBe(201);
  return response.body as EndpointBody;
}

let invoiceCounter = 0;

/** A message of the tenant taken through sent (and further receipts), which queues deliveries. */
async function messageThrough(tenant: Tenant, receipts: readonly ('delivered' | 'read')[] = []) {
  invoiceCounter += 1;
  const { messageId, providerMessageId } = await sentMessage(context.db, tenant, {
    invoiceId: `WH-${invoiceCounter}`,
  });
  for (const receipt of receipts) {
    await context.db.messages.statuses.applyReceipt(
      tenant.instance.id,
      providerMessageId,
      receipt,
      receipt.toUpperCase(),
    );
  }
  return messageId;
}

describe('Webhook endpoints', () => {
  it('When an endpoint is registered, then it answers 201 with a secret that only creation and rotation show', async () => {
    const response = await request(strict.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(admin))
      .send({ url: 'https://Billing.Example.com/telenexus?source=tnx', description: '  WISPMAN  ' });

    expect(response.status).toBe(201);
    expect(response.body).toEqual({
      id: expect.any(String),
      url: 'https://billing.example.com/telenexus?source=tnx',
      description: 'WISPMAN',
      events: ALL_EVENTS,
      enabled: true,
      previous_secret_expires_at: null,
      circuit: {
        state: 'closed',
        failing_since: null,
        next_probe_at: null,
        consecutive_failures: 0,
        disabled_at: null,
      },
      secret: expect.stringMatching(SECRET),
      created_at: expect.any(String),
      updated_at: expect.any(String),
    });
    const stored = await strict.endpoints.findForAccount(admin.accountId, response.body.id);
    expect(stored?.secret).toBe(response.body.secret);

    const one = await request(strict.app).get(`/api/v1/webhook-endpoints/${response.body.id}`).set(as(admin));
    expect(one.status).toBe(200);
    expect(one.body).toEqual({ ...response.body, secret: undefined });
    expect(one.body).not.toHaveProperty('secret');

    const listed = await request(strict.app).get('/api/v1/webhook-endpoints').set(as(admin));
    expect(listed.status).toBe(200);
    expect(listed.body.data.map((endpoint: { id: string }) => endpoint.id)).toContain(response.body.id);
    expect(JSON.stringify(listed.body)).not.toContain('whsec_');
  });

  it('When events are named, then only those are subscribed', async () => {
    const created = await createEndpoint({ events: ['message.failed', 'message.read'], description: null });
    expect(created.events).toEqual(['message.failed', 'message.read']);
  });

  it.each([
    ['no url', { description: 'x' }, 'url: is required'],
    ['a blank url', { url: '   ' }, 'url: must not be empty'],
    [
      'an unknown event',
      { url: 'https://billing.example.com', events: ['endpoint.test'] },
      /^events\.0: must be one of: message\.queued, message\.sent/,
    ],
    ['no events', { url: 'https://billing.example.com', events: [] }, 'events: must name at least one event'],
    [
      'a repeated event',
      { url: 'https://billing.example.com', events: ['message.sent', 'message.sent'] },
      'events.1: must not repeat an event',
    ],
    [
      'a long description',
      { url: 'https://billing.example.com', description: 'x'.repeat(501) },
      'description: must be at most 500 characters',
    ],
    [
      'an unknown field',
      { url: 'https://billing.example.com', secret: 'mine' },
      'secret: is not a recognised field',
    ],
    [
      'a relative url',
      { url: '/hooks' },
      'url: must be an absolute URL such as https://billing.example.com/webhooks',
    ],
  ])(
    'When an endpoint is registered with %s, then it answers 400 naming the field',
    async (_case, body, detail) => {
      const response = await request(strict.app).post('/api/v1/webhook-endpoints').set(as(admin)).send(body);
      expect(response.status).toBe(400);
      expect(response.body.detail).toEqual(
        typeof detail === 'string' ? detail : expect.stringMatching(detail),
      );
      expect(response.body.errors[0].field).toBe(response.body.detail.split(':')[0]);
    },
  );

  it.each([
    ['http', 'http://billing.example.com/hooks', 'url: must use https'],
    [
      'a loopback address',
      'https://127.0.0.1:8443/hooks',
      'url: points at 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'IPv6 loopback',
      'https://[::1]/hooks',
      'url: points at ::1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'cloud metadata',
      'https://169.254.169.254/latest',
      'url: points at 169.254.169.254, a link-local address; only publicly reachable addresses are allowed',
    ],
    [
      'a private address',
      'https://192.168.1.20/hooks',
      'url: points at 192.168.1.20, a private network address; only publicly reachable addresses are allowed',
    ],
    [
      'a name resolving to loopback',
      'https://localhost/hooks',
      'url: host localhost resolves to 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'a name resolving to a private address',
      'https://intranet.example.com/hooks',
      'url: host intranet.example.com resolves to 10.20.30.40, a private network address; only publicly reachable addresses are allowed',
    ],
    [
      'a name with one private address among public ones',
      'https://rebind.example.com/hooks',
      'url: host rebind.example.com resolves to 127.0.0.1, a loopback address; only publicly reachable addresses are allowed',
    ],
    [
      'an unresolvable name',
      'https://nowhere.example.com/hooks',
      'url: host nowhere.example.com could not be resolved',
    ],
    [
      'credentials',
      'https://user:pw@billing.example.com/hooks',
      'url: must not contain a user name or password',
    ],
  ])('When the URL uses %s, then registration is refused with 400 saying why', async (_case, url, detail) => {
    const response = await request(strict.app).post('/api/v1/webhook-endpoints').set(as(admin)).send({ url });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(detail);
    expect(response.body.errors).toEqual([{ field: 'url', message: detail.slice('url: '.length) }]);
  });

  it('When private URLs are allowed by configuration, then http and loopback endpoints are accepted', async () => {
    const response = await request(relaxed.app)
      .post('/api/v1/webhook-endpoints')
      .set(as(admin))
      .send({ url: 'http://127.0.0.1:9000/hooks' });
    expect(response.status).toBe(201);
    expect(response.body.url).toBe('http://127.0.0.1:9000/hooks');
  });

  it('When an endpoint is changed, then the new values are stored and a new URL is checked like a new one', async () => {
    const created = await createEndpoint();

    const changed = await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(admin))
      .send({
        url: 'https://other.example.com/v2',
        description: 'Splynx',
        events: ['message.failed'],
        enabled: false,
      });
    expect(changed.status).toBe(200);
    expect(changed.body).toMatchObject({
      id: created.id,
      url: 'https://other.example.com/v2',
      description: 'Splynx',
      events: ['message.failed'],
      enabled: false,
    });
    expect(changed.body).not.toHaveProperty('secret');

    const cleared = await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(admin))
      .send({ description: '', enabled: true });
    expect(cleared.body).toMatchObject({
      description: null,
      enabled: true,
      url: 'https://other.example.com/v2',
    });

    const refused = await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(admin))
      .send({ url: 'https://localhost/hooks' });
    expect(refused.status).toBe(400);
    expect(refused.body.detail).toMatch(/^url: host localhost resolves to 127\.0\.0\.1, a loopback address/);
    expect((await strict.endpoints.findForAccount(admin.accountId, created.id))?.url).toBe(
      'https://other.example.com/v2',
    );
  });

  it.each([
    ['nothing to change', {}, 'body: must change at least one field'],
    ['enabled as text', { enabled: 'yes' }, 'enabled: must be true or false'],
    ['no events', { events: [] }, 'events: must name at least one event'],
  ])('When a change has %s, then it answers 400 naming it', async (_case, body, detail) => {
    const created = await createEndpoint();
    const response = await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(admin))
      .send(body);
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe(detail);
  });

  it('When the secret is rotated, then the answer shows the new one and until when the old one still signs (24 h), never the old one', async () => {
    const created = await createEndpoint();

    const before = Date.now();
    const rotated = await request(strict.app)
      .post(`/api/v1/webhook-endpoints/${created.id}/rotate-secret`)
      .set(as(admin));
    const after = Date.now();

    expect(rotated.status).toBe(200);
    expect(rotated.body).toMatchObject({ id: created.id, url: created.url });
    expect(rotated.body.secret).toMatch(SECRET);
    expect(rotated.body.secret).not.toBe(created.secret);
    expect(JSON.stringify(rotated.body)).not.toContain(created.secret);
    const until = Date.parse(rotated.body.previous_secret_expires_at);
    expect(until).toBeGreaterThanOrEqual(before + DAY_MS);
    expect(until).toBeLessThanOrEqual(after + DAY_MS);
    expect((await strict.endpoints.findForAccount(admin.accountId, created.id))?.secret).toBe(
      rotated.body.secret,
    );
    // The old secret is kept sealed, bound to its own column, beside its expiry.
    const [row] = await context.db.dataSource.query(
      'SELECT previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = $1',
      [created.id],
    );
    expect(row.previous_secret).toMatch(/^enc:v1:/);
    expect(context.db.secrets.open('webhook_endpoints.previous_secret', row.previous_secret)).toBe(
      created.secret,
    );
    expect(new Date(row.previous_secret_expires_at).toISOString()).toBe(
      rotated.body.previous_secret_expires_at,
    );
    const read = await request(strict.app).get(`/api/v1/webhook-endpoints/${created.id}`).set(as(admin));
    expect(read.body).not.toHaveProperty('secret');
    expect(read.body.previous_secret_expires_at).toBe(rotated.body.previous_secret_expires_at);
    expect(JSON.stringify(read.body)).not.toContain(created.secret);
  });

  it('When the secret is rotated twice within the overlap, then only the one just replaced still signs beside the new one', async () => {
    const created = await createEndpoint();
    const first = await request(strict.app)
      .post(`/api/v1/webhook-endpoints/${created.id}/rotate-secret`)
      .set(as(admin));
    const second = await request(strict.app)
      .post(`/api/v1/webhook-endpoints/${created.id}/rotate-secret`)
      .set(as(admin));
    expect(second.status).toBe(200);
    const [row] = await context.db.dataSource.query(
      'SELECT previous_secret FROM webhook_endpoints WHERE id = $1',
      [created.id],
    );
    expect(context.db.secrets.open('webhook_endpoints.previous_secret', row.previous_secret)).toBe(
      first.body.secret,
    );
  });

  it('When the overlap is configured to 0, then rotating stops the old secret at once and erases it', async () => {
    const noOverlap = createWebhookEndpointsApp(context.db, {
      allowPrivateUrls: false,
      resolveHost,
      secretOverlapMs: 0,
    });
    try {
      const created = await createEndpoint();
      await request(strict.app).post(`/api/v1/webhook-endpoints/${created.id}/rotate-secret`).set(as(admin));

      const rotated = await request(noOverlap.app)
        .post(`/api/v1/webhook-endpoints/${created.id}/rotate-secret`)
        .set(as(admin));

      expect(rotated.status).toBe(200);
      expect(rotated.body.previous_secret_expires_at).toBeNull();
      const [row] = await context.db.dataSource.query(
        'SELECT previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = $1',
        [created.id],
      );
      expect(row).toEqual({ previous_secret: null, previous_secret_expires_at: null });
    } finally {
      await noOverlap.close();
    }
  });

  it('When an endpoint is deleted, then it answers 204, disappears, and its pending deliveries are given up', async () => {
    const tenant = await createTenant(context.db, { permissions: ['admin'] });
    const created = await createEndpoint({}, tenant);
    const messageId = await messageThrough(tenant);
    const [pending] = await strict.deliveries.listForMessage(messageId);
    expect(pending?.status).toBe('pending');

    const deleted = await request(strict.app)
      .delete(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(tenant));

    expect(deleted.status).toBe(204);
    expect(deleted.text).toBe('');
    expect(
      (await request(strict.app).get(`/api/v1/webhook-endpoints/${created.id}`).set(as(tenant))).status,
    ).toBe(404);
    const listed = await request(strict.app).get('/api/v1/webhook-endpoints').set(as(tenant));
    expect(listed.body.data).toEqual([]);
    expect(await strict.deliveries.findById(pending!.id)).toMatchObject({
      status: 'failed',
      lastError: 'The endpoint was deleted before this event could be delivered',
    });
    const again = await request(strict.app).delete(`/api/v1/webhook-endpoints/${created.id}`).set(as(tenant));
    expect(again.status).toBe(404);
  });

  it('When an endpoint is disabled, then its pending deliveries are given up and new status changes queue none', async () => {
    const tenant = await createTenant(context.db, { permissions: ['admin'] });
    const created = await createEndpoint({}, tenant);
    const before = await messageThrough(tenant);

    await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(tenant))
      .send({ enabled: false })
      .expect(200);
    const after = await messageThrough(tenant, ['delivered']);

    expect(await strict.deliveries.listForMessage(before)).toEqual([
      expect.objectContaining({
        status: 'failed',
        lastError: 'The endpoint was disabled before this event could be delivered',
      }),
    ]);
    expect(await strict.deliveries.listForMessage(after)).toEqual([]);
  });

  it('When the breaker disabled an endpoint, then it shows why and since when, and an admin enabling it resets the breaker, resumes its deliveries and is audited', async () => {
    const tenant = await createTenant(context.db, { permissions: ['admin'] });
    const created = await createEndpoint({}, tenant);
    const waiting = await messageThrough(tenant);
    // As the dispatcher leaves an endpoint that kept failing for 72 h: its delivery waits, far off.
    await context.db.dataSource.query(
      `UPDATE webhook_endpoints SET consecutive_failures = 80, failing_since = now() - interval '72 hours',
              next_probe_at = now() + interval '1 hour', disabled_at = now() WHERE id = $1`,
      [created.id],
    );
    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET next_attempt_at = now() + interval '1 hour' WHERE message_id = $1`,
      [waiting],
    );

    const shown = await request(strict.app).get(`/api/v1/webhook-endpoints/${created.id}`).set(as(tenant));
    expect(shown.body).toMatchObject({
      enabled: true,
      circuit: {
        state: 'disabled',
        consecutive_failures: 80,
        failing_since: expect.any(String),
        disabled_at: expect.any(String),
      },
    });

    const enabled = await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(tenant))
      .send({ enabled: true })
      .expect(200);

    expect(enabled.body.circuit).toEqual({
      state: 'closed',
      failing_since: null,
      next_probe_at: null,
      consecutive_failures: 0,
      disabled_at: null,
    });
    const [delivery] = await strict.deliveries.listForMessage(waiting);
    expect(delivery).toMatchObject({ status: 'pending' });
    expect(delivery!.nextAttemptAt.getTime()).toBeLessThanOrEqual(Date.now());
    const audited = await context.db.dataSource.query<
      { action: string; changes: { before: { circuit: { state: string } } } | null }[]
    >(`SELECT action, changes FROM audit_events WHERE target_id = $1 ORDER BY occurred_at`, [created.id]);
    expect(audited.at(-1)).toMatchObject({
      action: 'webhook_endpoint.update',
      changes: { before: { circuit: { state: 'disabled' } }, after: { circuit: { state: 'closed' } } },
    });
  });

  it('When a key without admin calls the webhook routes, then it answers 403', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });
    for (const call of [
      request(strict.app).get('/api/v1/webhook-endpoints'),
      request(strict.app).post('/api/v1/webhook-endpoints').send({ url: 'https://billing.example.com' }),
      request(strict.app).get(`/api/v1/webhook-deliveries/${randomUUID()}`),
    ]) {
      const response = await call.set(as(sender));
      expect(response.status).toBe(403);
      expect(response.body).toEqual(problem('forbidden', 'This API key does not have the admin permission'));
    }
  });

  it('When no key is sent, then it answers 401', async () => {
    const response = await request(strict.app).get('/api/v1/webhook-endpoints');
    expect(response.status).toBe(401);
  });
});

describe('Webhook deliveries', () => {
  let tenant: Tenant;
  let endpoint: EndpointBody;

  beforeAll(async () => {
    tenant = await createTenant(context.db, { permissions: ['admin'] });
    endpoint = await createEndpoint({}, tenant);
  });

  it('When messages change status, then the endpoint lists their deliveries newest first, page by page', async () => {
    const messageId = await messageThrough(tenant, ['delivered', 'read']);
    const all = await strict.deliveries.listForMessage(messageId);
    expect(all.map((delivery) => delivery.eventType)).toEqual([
      'message.sent',
      'message.delivered',
      'message.read',
    ]);

    const first = await request(strict.app)
      .get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries?limit=2`)
      .set(as(tenant));
    expect(first.status).toBe(200);
    expect(first.body.data.map((d: { event_type: string }) => d.event_type)).toEqual([
      'message.read',
      'message.delivered',
    ]);
    expect(first.body.data[0]).toEqual({
      id: all[2]!.id,
      endpoint_id: endpoint.id,
      event_id: all[2]!.eventId,
      event_type: 'message.read',
      message_id: messageId,
      status: 'pending',
      attempts: 0,
      next_attempt_at: expect.any(String),
      last_status_code: null,
      last_error: null,
      created_at: expect.any(String),
      delivered_at: null,
      failed_at: null,
      payload: {
        id: all[2]!.eventId,
        type: 'message.read',
        created_at: expect.any(String),
        data: expect.objectContaining({
          message_id: messageId,
          invoice_id: `WH-${invoiceCounter}`,
          status: 'read',
        }),
      },
    });
    expect(first.body.next_cursor).toEqual(expect.any(String));

    const second = await request(strict.app)
      .get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries`)
      .query({ limit: 2, cursor: first.body.next_cursor })
      .set(as(tenant));
    expect(second.body.data.map((d: { event_type: string }) => d.event_type)).toEqual(['message.sent']);
    expect(second.body.next_cursor).toBeNull();
  });

  it('When deliveries are filtered by status, then only that status is listed', async () => {
    const messageId = await messageThrough(tenant);
    const [delivery] = await strict.deliveries.listForMessage(messageId);
    await context.db.dataSource.query(
      "UPDATE webhook_deliveries SET status = 'failed', failed_at = now() WHERE id = $1",
      [delivery!.id],
    );

    const failed = await request(strict.app)
      .get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries?status=failed`)
      .set(as(tenant));

    expect(failed.status).toBe(200);
    expect(failed.body.data.map((d: { id: string }) => d.id)).toEqual([delivery!.id]);
    expect(failed.body.data[0]).toMatchObject({ status: 'failed', next_attempt_at: null });
  });

  it.each([
    ['status=lost', 'query: ', /^status: must be one of: pending, delivered, failed$/],
    ['limit=201', '', /^limit: must be at most 200$/],
    ['cursor=bm90LWEtY3Vyc29y', '', /^cursor: is not a cursor from an earlier page$/],
  ])('When the deliveries query has %s, then it answers 400 naming it', async (query, _prefix, detail) => {
    const response = await request(strict.app)
      .get(`/api/v1/webhook-endpoints/${endpoint.id}/deliveries?${query}`)
      .set(as(tenant));
    expect(response.status).toBe(400);
    expect(response.body.detail).toMatch(detail);
  });

  it('When a delivery is read, then it shows the payload as sent and every attempt', async () => {
    const messageId = await messageThrough(tenant);
    const [delivery] = await strict.deliveries.listForMessage(messageId);
    // As the delivery worker records a POST; no claim is made, so nothing else in this database moves.
    await strict.deliveries.recordAttempt({
      deliveryId: delivery!.id,
      claimedAttempts: 0,
      attemptedAt: new Date('2026-02-01T10:00:00.000Z'),
      finishedAt: new Date('2026-02-01T10:00:00.250Z'),
      durationMs: 250,
      statusCode: 500,
      error: null,
      outcome: { kind: 'retry', lastError: 'HTTP 500', nextAttemptAt: new Date('2026-02-01T10:00:30.000Z') },
    });

    const response = await request(strict.app)
      .get(`/api/v1/webhook-deliveries/${delivery!.id}`)
      .set(as(tenant));

    expect(response.status).toBe(200);
    expect(response.body).toMatchObject({
      id: delivery!.id,
      status: 'pending',
      attempts: 0,
      next_attempt_at: '2026-02-01T10:00:30.000Z',
      last_status_code: 500,
      last_error: 'HTTP 500',
      payload: JSON.parse(delivery!.payload),
      attempts_log: [
        { attempted_at: '2026-02-01T10:00:00.000Z', status_code: 500, error: null, duration_ms: 250 },
      ],
    });
  });

  it('When a failed delivery is retried, then it is due again at once and keeps its history', async () => {
    const messageId = await messageThrough(tenant);
    const [delivery] = await strict.deliveries.listForMessage(messageId);
    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', failed_at = now(), attempts = 7, last_status_code = 503,
              last_error = 'HTTP 503', next_attempt_at = now() + interval '1 day' WHERE id = $1`,
      [delivery!.id],
    );

    const response = await request(strict.app)
      .post(`/api/v1/webhook-deliveries/${delivery!.id}/retry`)
      .set(as(tenant));

    expect(response.status).toBe(202);
    expect(response.body).toMatchObject({
      id: delivery!.id,
      status: 'pending',
      attempts: 7,
      failed_at: null,
      last_status_code: 503,
      last_error: 'HTTP 503',
      attempts_log: [],
    });
    expect(Math.abs(Date.parse(response.body.next_attempt_at) - Date.now())).toBeLessThan(5000);
  });

  it('When a delivered delivery is retried, then it answers 409', async () => {
    const messageId = await messageThrough(tenant);
    const [delivery] = await strict.deliveries.listForMessage(messageId);
    await context.db.dataSource.query(
      "UPDATE webhook_deliveries SET status = 'delivered', delivered_at = now() WHERE id = $1",
      [delivery!.id],
    );
    const response = await request(strict.app)
      .post(`/api/v1/webhook-deliveries/${delivery!.id}/retry`)
      .set(as(tenant));
    expect(response.status).toBe(409);
    expect(response.body).toEqual(problem('conflict', 'Webhook delivery was already delivered'));
  });

  it('When the endpoint is disabled, then retrying its delivery answers 409 until it is enabled', async () => {
    const own = await createTenant(context.db, { permissions: ['admin'] });
    const created = await createEndpoint({}, own);
    const messageId = await messageThrough(own);
    await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(own))
      .send({ enabled: false });
    const [delivery] = await strict.deliveries.listForMessage(messageId);

    const refused = await request(strict.app)
      .post(`/api/v1/webhook-deliveries/${delivery!.id}/retry`)
      .set(as(own));
    expect(refused.status).toBe(409);
    expect(refused.body).toEqual(
      problem('conflict', 'The webhook endpoint is disabled; enable it before retrying'),
    );

    await request(strict.app)
      .patch(`/api/v1/webhook-endpoints/${created.id}`)
      .set(as(own))
      .send({ enabled: true });
    const retried = await request(strict.app)
      .post(`/api/v1/webhook-deliveries/${delivery!.id}/retry`)
      .set(as(own));
    expect(retried.status).toBe(202);
    expect(retried.body.status).toBe('pending');
  });
});

describe('Other accounts', () => {
  it("When another account's endpoint or delivery id (or a malformed id) is used, then every route answers 404", async () => {
    const theirs = await createEndpoint({}, other);
    const messageId = await messageThrough(other);
    const [theirDelivery] = await strict.deliveries.listForMessage(messageId);
    const endpointCalls = (id: string) => [
      request(strict.app).get(`/api/v1/webhook-endpoints/${id}`),
      request(strict.app).patch(`/api/v1/webhook-endpoints/${id}`).send({ description: 'mine now' }),
      request(strict.app).delete(`/api/v1/webhook-endpoints/${id}`),
      request(strict.app).post(`/api/v1/webhook-endpoints/${id}/rotate-secret`),
      request(strict.app).get(`/api/v1/webhook-endpoints/${id}/deliveries`),
    ];
    const deliveryCalls = (id: string) => [
      request(strict.app).get(`/api/v1/webhook-deliveries/${id}`),
      request(strict.app).post(`/api/v1/webhook-deliveries/${id}/retry`),
    ];

    for (const id of [theirs.id, 'not-a-uuid', randomUUID()]) {
      for (const call of endpointCalls(id)) {
        const response = await call.set(as(admin));
        expect(response.status).toBe(404);
        expect(response.body).toEqual(problem('not_found', 'Webhook endpoint not found'));
      }
    }
    for (const id of [theirDelivery!.id, 'not-a-uuid', randomUUID()]) {
      for (const call of deliveryCalls(id)) {
        const response = await call.set(as(admin));
        expect(response.status).toBe(404);
        expect(response.body).toEqual(problem('not_found', 'Webhook delivery not found'));
      }
    }

    const untouched = await strict.endpoints.findForAccount(other.accountId, theirs.id);
    expect(untouched).toMatchObject({ description: null, secret: theirs.secret });
    const listed = await request(strict.app).get('/api/v1/webhook-endpoints').set(as(admin));
    expect(listed.body.data.map((endpoint: { id: string }) => endpoint.id)).not.toContain(theirs.id);
  });
});

import { randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type { Express } from 'express';
import request from 'supertest';
import { WebhookEndpointRepository } from '@telenexus/db';
import { problem } from '../support/expected-problem';
import { createTenant, type Tenant } from '../support/test-context';
import { useIngress } from '../support/use-ingress';
import { apiKeyRoutes, discoveredRoutes, opaqueMountPaths } from './route-discovery';
import { ALL_PERMISSIONS, as, guideBody, pinnedResolver } from './security-support';

/**
 * Account A (an admin key with every permission) against account B's resources, on every route
 * that takes an API key: each must answer 404 exactly as for an id that does not exist, and leave
 * B's resource as it was.
 */

type Method = 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';

/** One of each kind of resource, all B's. */
interface Resources {
  readonly apiKeyId: string;
  readonly instanceId: string;
  readonly messageId: string;
  readonly batchId: string;
  readonly endpointId: string;
  readonly deliveryId: string;
}

/** A route that names one of B's resources (in the path, or `instance_id` for the send endpoints). */
interface ForeignIdRoute {
  readonly kind: 'foreign-id';
  readonly method: Method;
  readonly path: string;
  readonly target: keyof Resources;
  readonly detail: string;
  /** A valid body, so validation cannot answer before ownership is checked. */
  readonly body?: object;
  /** Valid query parameters beside the id, for the same reason (the URL gateway's GET). */
  readonly query?: string;
  /** The URL with the id, where the path alone cannot say where it goes (a query parameter). */
  readonly url?: (id: string) => string;
}

/** A route of the caller's own collection: it takes no id, so it is checked for what it shows or makes. */
interface CollectionRoute {
  /** `stateless`: reads no account's data (whatever it answers, it must show nothing of B's). */
  readonly kind: 'list' | 'create' | 'stateless';
  readonly method: Method;
  readonly path: string;
  readonly body?: () => Record<string, unknown>;
  /** Where B would read a resource A created (`:id` filled), to show it is not B's. */
  readonly readBack?: string;
}

type RouteCase = ForeignIdRoute | CollectionRoute;

const SEND_BODY = guideBody({ invoice_id: 'CROSS-1' });

/** Every API-key route of ingress. The test "the table is complete" fails when a route is missing. */
const ROUTES: readonly RouteCase[] = [
  { kind: 'list', method: 'GET', path: '/api/v1/api-keys' },
  {
    kind: 'create',
    method: 'POST',
    path: '/api/v1/api-keys',
    body: () => ({ name: `A key ${randomUUID()}`, permissions: ['send_message'] }),
  },
  {
    kind: 'foreign-id',
    method: 'DELETE',
    path: '/api/v1/api-keys/:id',
    target: 'apiKeyId',
    detail: 'API key not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/api-keys/:id/rotate',
    target: 'apiKeyId',
    detail: 'API key not found',
    body: { grace_seconds: 0 },
  },
  { kind: 'list', method: 'GET', path: '/api/v1/instances' },
  {
    kind: 'create',
    method: 'POST',
    path: '/api/v1/instances',
    // A number A proves with its own token (test/security/instance-ownership covers the refusals).
    body: () => {
      const { name, token } = context.sandbox.createInstance({ name: `a-${randomUUID().slice(0, 12)}` });
      return { name: 'A billing', evolution_instance_name: name, evolution_token: token };
    },
    readBack: '/api/v1/instances/:id',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/instances/:id',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'PATCH',
    path: '/api/v1/instances/:id',
    target: 'instanceId',
    detail: 'Instance not found',
    body: { name: 'Taken over', country: 'UG', evolution_token: 'attacker-token' },
  },
  {
    kind: 'foreign-id',
    method: 'DELETE',
    path: '/api/v1/instances/:id',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/instances/:id/integration',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/instances/:id/evolution-webhook',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  ...(['GET /connection', 'POST /connect', 'POST /logout'] as const).map((route) => {
    const [method, suffix] = route.split(' ') as ['GET' | 'POST', string];
    return {
      kind: 'foreign-id' as const,
      method,
      path: `/api/v1/instances/:id${suffix}`,
      target: 'instanceId' as const,
      detail: 'Instance not found',
    };
  }),
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/instances/:id/messages',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/instances/:id/queue',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/instances/:id/batches',
    target: 'instanceId',
    detail: 'Instance not found',
  },
  // Answers who the caller is (its own account and key): nothing of another account's.
  { kind: 'stateless', method: 'POST', path: '/api/v1/console/sign-in' },
  // Renders the message templates with sample or query values: no account's data at all.
  { kind: 'stateless', method: 'GET', path: '/api/v1/templates/preview' },
  { kind: 'stateless', method: 'POST', path: '/api/v1/templates/preview' },
  // The caller's own wording: its texts hold no ids of other accounts, its fields are its own.
  { kind: 'list', method: 'GET', path: '/api/v1/templates' },
  {
    kind: 'stateless',
    method: 'PATCH',
    path: '/api/v1/templates',
    body: () => ({ company_name: 'A Net', payment_instructions: 'Paybill 111111' }),
  },
  {
    kind: 'foreign-id',
    method: 'PUT',
    path: '/api/v1/templates/:message_type/:language',
    url: (id) => `/api/v1/templates/invoice/en?instance_id=${id}`,
    target: 'instanceId',
    detail: 'Instance not found',
    body: { text: 'Hello {{customer_name}}' },
  },
  {
    kind: 'foreign-id',
    method: 'DELETE',
    path: '/api/v1/templates/:message_type/:language',
    url: (id) => `/api/v1/templates/invoice/en?instance_id=${id}`,
    target: 'instanceId',
    detail: 'Instance not found',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/messages/:id',
    target: 'messageId',
    detail: 'Message not found',
  },
  {
    kind: 'foreign-id',
    method: 'DELETE',
    path: '/api/v1/messages/:id',
    target: 'messageId',
    detail: 'Message not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/billing/send-notification',
    target: 'instanceId',
    detail: 'Instance not found',
    body: SEND_BODY,
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/billing/send-notifications',
    target: 'instanceId',
    detail: 'Instance not found',
    body: { notifications: [SEND_BODY] },
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/gateway/send',
    target: 'instanceId',
    detail: 'Instance not found',
    query: 'to=254712345678&text=Hello',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/gateway/send',
    target: 'instanceId',
    detail: 'Instance not found',
    body: { to: '254712345678', text: 'Hello' },
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/billing/batches/:id',
    target: 'batchId',
    detail: 'Batch not found',
  },
  { kind: 'list', method: 'GET', path: '/api/v1/webhook-endpoints' },
  {
    kind: 'create',
    method: 'POST',
    path: '/api/v1/webhook-endpoints',
    body: () => ({ url: 'https://billing.example.com/a' }),
    readBack: '/api/v1/webhook-endpoints/:id',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/webhook-endpoints/:id',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
  },
  {
    kind: 'foreign-id',
    method: 'PATCH',
    path: '/api/v1/webhook-endpoints/:id',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
    body: { url: 'https://billing.example.com/taken-over', enabled: false, events: ['message.failed'] },
  },
  {
    kind: 'foreign-id',
    method: 'DELETE',
    path: '/api/v1/webhook-endpoints/:id',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/webhook-endpoints/:id/rotate-secret',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/webhook-endpoints/:id/test',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/webhook-endpoints/:id/replay',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
    body: { since: new Date(Date.now() - 3600_000).toISOString(), types: ['message.sent'] },
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/webhook-endpoints/:id/deliveries',
    target: 'endpointId',
    detail: 'Webhook endpoint not found',
  },
  {
    kind: 'foreign-id',
    method: 'GET',
    path: '/api/v1/webhook-deliveries/:id',
    target: 'deliveryId',
    detail: 'Webhook delivery not found',
  },
  {
    kind: 'foreign-id',
    method: 'POST',
    path: '/api/v1/webhook-deliveries/:id/retry',
    target: 'deliveryId',
    detail: 'Webhook delivery not found',
  },
  { kind: 'list', method: 'GET', path: '/api/v1/audit-events' },
];

const SEND_ROUTES = new Set([
  '/api/v1/billing/send-notification',
  '/api/v1/billing/send-notifications',
  '/api/v1/gateway/send',
]);

const context = useIngress({
  // A webhook delivery worker of another test file would claim B's pending delivery and change it
  // under the "unchanged" assertions; in a database of this file's own, nothing else touches it.
  isolated: true,
  resolveHost: pinnedResolver({ 'billing.example.com': ['93.184.216.34'] }),
  evolution: true,
});
let endpoints: WebhookEndpointRepository;
let a: Tenant;
let b: Tenant;
let mine: Resources;

beforeAll(async () => {
  endpoints = new WebhookEndpointRepository(context.db.dataSource, context.db.secrets);
  a = await createTenant(context.db, { permissions: ALL_PERMISSIONS });
  b = await createTenant(context.db, { permissions: ALL_PERMISSIONS });
  mine = await createResourcesOf(b);
});

/** One of each resource for the tenant, made through the API as a billing system would. */
async function createResourcesOf(tenant: Tenant): Promise<Resources> {
  const app = context.ingress.app;
  const key = await request(app)
    .post('/api/v1/api-keys')
    .set(as(tenant))
    .send({ name: 'WISPMAN', permissions: ['send_message'] });
  expect(key.status).toBe(201);
  const sent = await request(app)
    .post(`/api/v1/billing/send-notification?instance_id=${tenant.instance.id}`)
    .set(as(tenant))
    .send(guideBody({ invoice_id: 'B-ONE' }));
  expect(sent.status).toBe(200);
  const batch = await request(app)
    .post(`/api/v1/billing/send-notifications?instance_id=${tenant.instance.id}`)
    .set(as(tenant))
    .send({
      notifications: [guideBody({ invoice_id: 'B-BATCH-1' }), guideBody({ invoice_id: 'B-BATCH-2' })],
    });
  expect(batch.status).toBe(200);
  const endpoint = await request(app)
    .post('/api/v1/webhook-endpoints')
    .set(as(tenant))
    .send({ url: 'https://billing.example.com/b' });
  expect(endpoint.status).toBe(201);
  // A status change of a message of an account with an endpoint queues a delivery.
  const messageId = String(sent.body.message_id);
  await context.db.messages.statuses.claimForSending(messageId, 'text');
  await context.db.messages.statuses.markSent(messageId, `PROV-${randomUUID()}`);
  const deliveries = await request(app)
    .get(`/api/v1/webhook-endpoints/${endpoint.body.id}/deliveries`)
    .set(as(tenant));
  expect(deliveries.body.data).toHaveLength(1);
  return {
    apiKeyId: String(key.body.id),
    instanceId: tenant.instance.id,
    messageId,
    batchId: String(batch.body.batch_id),
    endpointId: String(endpoint.body.id),
    deliveryId: String(deliveries.body.data[0].id),
  };
}

function call(app: Express, method: Method, path: string, tenant: Tenant, body?: object) {
  const started = request(app)[method.toLowerCase() as 'get' | 'post' | 'put' | 'patch' | 'delete'](path);
  const authorised = started.set(as(tenant));
  return body === undefined ? authorised : authorised.send(body);
}

/** The URL of a route with one id in it (in the path, or as `instance_id` for the send endpoints). */
function urlFor(route: ForeignIdRoute, id: string): string {
  if (route.url) return route.url(id);
  const url = SEND_ROUTES.has(route.path) ? `${route.path}?instance_id=${id}` : route.path.replace(':id', id);
  return route.query ? `${url}${url.includes('?') ? '&' : '?'}${route.query}` : url;
}

/** Everything of B that a route could change, read back through B's own key (and, for secrets, storage). */
async function snapshotOf(tenant: Tenant, resources: Resources) {
  const read = async (path: string) => {
    const response = await request(context.ingress.app).get(path).set(as(tenant));
    return { status: response.status, body: response.body as unknown };
  };
  const keys = await read('/api/v1/api-keys');
  const keyList = (keys.body as { data: { id: string }[] }).data;
  return {
    key: keyList.find((key) => key.id === resources.apiKeyId),
    keyCount: keyList.length,
    instance: await read(`/api/v1/instances/${resources.instanceId}`),
    integration: await read(`/api/v1/instances/${resources.instanceId}/integration`),
    messages: await read(`/api/v1/instances/${resources.instanceId}/messages`),
    message: await read(`/api/v1/messages/${resources.messageId}`),
    batch: await read(`/api/v1/billing/batches/${resources.batchId}`),
    endpoint: await read(`/api/v1/webhook-endpoints/${resources.endpointId}`),
    endpointSecret: (await endpoints.findForAccount(tenant.accountId, resources.endpointId))?.secret,
    endpointCount: ((await read('/api/v1/webhook-endpoints')).body as { data: unknown[] }).data.length,
    deliveries: await read(`/api/v1/webhook-endpoints/${resources.endpointId}/deliveries`),
    delivery: await read(`/api/v1/webhook-deliveries/${resources.deliveryId}`),
    wording: await read('/api/v1/templates'),
  };
}

const foreignIdRoutes = ROUTES.filter((route): route is ForeignIdRoute => route.kind === 'foreign-id');
const listRoutes = ROUTES.filter((route): route is CollectionRoute => route.kind === 'list');
const createRoutes = ROUTES.filter((route): route is CollectionRoute => route.kind === 'create');
const statelessRoutes = ROUTES.filter((route): route is CollectionRoute => route.kind === 'stateless');

describe("Account A against account B's resources", () => {
  it.each(foreignIdRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "When A calls %s with B's id, then it answers 404 exactly as for an id that does not exist, and B's resource is unchanged",
    async (_name, route) => {
      const before = await snapshotOf(b, mine);

      const foreign = await call(
        context.ingress.app,
        route.method,
        urlFor(route, mine[route.target]),
        a,
        route.body,
      );
      const missing = await call(
        context.ingress.app,
        route.method,
        urlFor(route, randomUUID()),
        a,
        route.body,
      );

      expect({ status: foreign.status, body: foreign.body }).toEqual({
        status: 404,
        body: problem('not_found', route.detail),
      });
      // No enumeration: the answer for B's id and for an id nobody has cannot be told apart.
      expect({ status: missing.status, body: missing.body }).toEqual({
        status: foreign.status,
        body: foreign.body,
      });
      expect(foreign.headers['content-type']).toBe(missing.headers['content-type']);
      expect(await snapshotOf(b, mine)).toEqual(before);
    },
  );

  it.each(listRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "When A lists %s, then none of B's ids or B's account appear",
    async (_name, route) => {
      const response = await call(context.ingress.app, route.method, route.path, a);
      expect(response.status).toBe(200);
      expect(Array.isArray(response.body.data)).toBe(true);
      const text = JSON.stringify(response.body);
      for (const id of [b.accountId, b.apiKeyId, ...Object.values(mine)]) expect(text).not.toContain(id);
    },
  );

  it.each(statelessRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "When A calls %s, then it answers without a 5xx, shows nothing of B's and changes nothing of B's",
    async (_name, route) => {
      const before = await snapshotOf(b, mine);
      const response = await call(context.ingress.app, route.method, route.path, a, route.body?.());
      expect(response.status).toBeLessThan(500);
      const text = JSON.stringify(response.body);
      for (const id of [b.accountId, b.apiKeyId, ...Object.values(mine)]) expect(text).not.toContain(id);
      expect(await snapshotOf(b, mine)).toEqual(before);
    },
  );

  it.each(createRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    "When A creates through %s, then naming B's account is refused and what is made is A's alone",
    async (_name, route) => {
      const before = await snapshotOf(b, mine);
      const withAccount = await call(context.ingress.app, route.method, route.path, a, {
        ...route.body!(),
        account_id: b.accountId,
      });
      expect(withAccount.status).toBe(400);
      expect(withAccount.body.detail).toBe('account_id: is not a recognised field');

      const created = await call(context.ingress.app, route.method, route.path, a, route.body!());
      expect(created.status).toBe(201);
      const id = String(created.body.id);
      if (route.readBack) {
        const fromB = await request(context.ingress.app).get(route.readBack.replace(':id', id)).set(as(b));
        expect(fromB.status).toBe(404);
        expect(
          (await request(context.ingress.app).get(route.readBack.replace(':id', id)).set(as(a))).status,
        ).toBe(200);
      }
      const listedForB = await request(context.ingress.app).get(route.path).set(as(b));
      expect(JSON.stringify(listedForB.body)).not.toContain(id);
      expect(await snapshotOf(b, mine)).toEqual(before);
    },
  );

  it("When A's key sends to its own instance with B's invoice and Idempotency-Key, then B's message is neither replayed nor touched", async () => {
    const key = `cross-${randomUUID()}`;
    const fromB = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${b.instance.id}`)
      .set(as(b))
      .set('Idempotency-Key', key)
      .send(guideBody({ invoice_id: 'SHARED-1' }));
    expect(fromB.status).toBe(200);
    const before = await snapshotOf(b, mine);

    const fromA = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${a.instance.id}`)
      .set(as(a))
      .set('Idempotency-Key', key)
      .send(guideBody({ invoice_id: 'SHARED-1' }));

    expect(fromA.status).toBe(200);
    expect(fromA.headers['idempotent-replayed']).toBeUndefined();
    expect(fromA.body.message_id).not.toBe(fromB.body.message_id);
    expect((await context.db.messages.queries.findById(String(fromA.body.message_id)))?.accountId).toBe(
      a.accountId,
    );
    expect(await snapshotOf(b, mine)).toEqual(before);
  });
});

// ---------------------------------------------------------------------------------------------
// Completeness. The table above is only as good as its coverage, so the routes are discovered from
// the running app (route-discovery.ts) and from the source, independently:
//  1. the app's own router is walked with `router.listRoutes()` (router 2.3, Express 5's router),
//     recursing into mounted routers: every route the app will actually dispatch, with its mount
//     prefix and methods;
//  2. each discovered route is called without credentials (ids filled with random UUIDs): the ones
//     answering 401 "Invalid or missing API key" are the API-key routes — a behavioural test, so a
//     route mounted behind authentication anywhere is caught, whatever file it lives in;
//  3. the `router.<verb>('…')` calls in services/ingress/src/**/*.routes.ts must all be among the
//     discovered routes, so the walk cannot silently miss a router;
//  4. mounted handlers that are not routers (bull-board's sub-app) cannot be walked; they are listed
//     so a new one cannot appear unnoticed.
// ---------------------------------------------------------------------------------------------

function routeFilesUnder(directory: string): string[] {
  return readdirSync(directory).flatMap((name) => {
    const path = join(directory, name);
    if (statSync(path).isDirectory()) return routeFilesUnder(path);
    return name.endsWith('.routes.ts') ? [path] : [];
  });
}

/**
 * `router.get('/x/:id', …)` calls in the ingress sources, as method and path relative to wherever
 * the router is mounted.
 */
function declaredInSource(): { method: string; path: string }[] {
  const root = join(__dirname, '..', '..', 'services', 'ingress', 'src');
  return routeFilesUnder(root).flatMap((file) =>
    [...readFileSync(file, 'utf8').matchAll(/\brouter\.(get|post|put|patch|delete|all)\(\s*'([^']+)'/g)].map(
      ([, method, path]) => ({ method: method!.toUpperCase(), path: path! }),
    ),
  );
}

describe('Completeness of the route table', () => {
  let discovered: string[];

  beforeAll(() => {
    discovered = discoveredRoutes(context.ingress.app);
  });

  it('When the app is walked, then it finds the routes the source declares (the walk sees every router)', () => {
    const declared = declaredInSource();
    expect(declared.length).toBeGreaterThanOrEqual(ROUTES.length);
    // Mount prefixes are the app's business: a declared route is found when a discovered one ends with it.
    const missed = declared.filter(
      ({ method, path }) =>
        !discovered.some(
          (route) => route.startsWith(`${method} `) && route.endsWith(path === '/' ? '' : path),
        ),
    );
    expect(missed).toEqual([]);
  });

  it('When every discovered route is called without a key, then each one that wants an API key is in the table, and the table has no stale rows', async () => {
    const authenticated = await apiKeyRoutes(context.ingress.app);
    const table = ROUTES.map((route) => `${route.method} ${route.path}`);

    expect(authenticated.length).toBeGreaterThan(0);
    expect(authenticated.filter((route) => !table.includes(route))).toEqual([]);
    expect(table.filter((route) => !authenticated.includes(route))).toEqual([]);
    expect(new Set(table).size).toBe(table.length);
  });

  it('When the app is walked, then the only mounted handler that is not a walkable router is the queue dashboard', () => {
    // bull-board's sub-app and the dashboard's sign-in; see the dashboard test below.
    expect(opaqueMountPaths(context.ingress.app)).toEqual(['/admin/queues']);
  });
});

describe('Queue dashboard across accounts', () => {
  // The dashboard shows every account's jobs (job ids are message ids) and, with
  // DASHBOARD_READ_ONLY=false, can retry or remove them, so only the operator gets in: the
  // dashboard credentials or an admin key of OPERATOR_ACCOUNT_ID, never a tenant's key.
  it("When the operator signs in to the queue dashboard, then B's job is there (so the test below is not vacuous)", async () => {
    const page = await request(context.ingress.app)
      .get('/admin/queues/api/queues?activeQueue=notifications&status=waiting&page=1')
      .auth('ops', 'correct horse battery staple');
    expect(page.status).toBe(200);
    expect(JSON.stringify(page.body)).toContain(mine.messageId);
  });

  it("When A's admin key opens the queue dashboard, then B's jobs are not shown to it", async () => {
    const page = await request(context.ingress.app)
      .get('/admin/queues/api/queues?activeQueue=notifications&status=waiting&page=1')
      .set(as(a));
    const shownJobs = ((page.body as { queues?: { jobs?: { id: string }[] }[] }).queues ?? []).flatMap(
      (queue) => queue.jobs?.map((job) => job.id) ?? [],
    );
    expect(shownJobs).not.toContain(mine.messageId);
  });
});

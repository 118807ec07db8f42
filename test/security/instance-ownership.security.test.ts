import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EvolutionHttpClient } from '@telenexus/evolution';
import {
  createProvisioning,
  EVOLUTION_INSTANCE_NOT_PROVEN,
  type Provisioning,
} from '@telenexus/provisioning';
import { problem } from '../support/expected-problem';
import { createIngressHarness, type IngressHarness } from '../support/ingress-harness';
import { createTenant, type Tenant } from '../support/test-context';
import { useIngress } from '../support/use-ingress';
import { as } from './security-support';

/**
 * A WhatsApp number belongs to whoever proves it: a customer's admin key links (or re-links, or
 * re-tokens) an Evolution instance only with that instance's own token, checked with Evolution
 * itself; every name it cannot have answers one 404, byte for byte; only the operator links with
 * the global key or takes back a name another account deleted; and an Evolution outage is a 503,
 * never mistaken for a refusal.
 */

const GLOBAL_KEY = `global-${randomUUID()}`;

const context = useIngress({ operator: { permissions: ['admin'] }, evolution: { globalApiKey: GLOBAL_KEY } });
let attacker: Tenant;
let victim: Tenant;

function provisioningWith(client: EvolutionHttpClient | undefined): Provisioning {
  return createProvisioning({
    accounts: context.db.accounts,
    apiKeys: context.db.apiKeys,
    instances: context.db.instances,
    ...(client ? { evolution: client } : {}),
    webhookBaseUrl: 'https://hooks.example.test',
  });
}

beforeAll(async () => {
  attacker = await createTenant(context.db, { permissions: ['admin'] });
  victim = await createTenant(context.db, { permissions: ['admin'] });
});

/** A number paired in Evolution (a sandbox instance), with its own token. */
function evolutionInstance(): { name: string; token: string } {
  const { name, token } = context.sandbox.createInstance({ name: `num-${randomUUID().slice(0, 8)}` });
  return { name, token };
}

function link(tenant: Tenant, body: Record<string, unknown>, app = context.ingress.app) {
  return request(app)
    .post('/api/v1/instances')
    .set(as(tenant))
    .send({ name: 'Billing', ...body });
}

async function linked(tenant: Tenant, name: string, token?: string): Promise<string> {
  const response = await link(tenant, { evolution_instance_name: name, evolution_token: token });
  expect(response.status).toBe(201);
  return String(response.body.id);
}

/** Every live instance of the account, as rows, to show a refusal linked nothing. */
async function instancesOf(tenant: Tenant) {
  return context.db.instances.listForAccount(tenant.accountId);
}

describe('Linking an Evolution instance with an admin key', () => {
  it.each([
    ['no token', {}],
    ['an empty token', { evolution_token: '' }],
    ['a null token', { evolution_token: null }],
  ])('When a customer links with %s, then it answers 400 on evolution_token saying why', async (_n, body) => {
    const { name } = evolutionInstance();

    const response = await link(attacker, { evolution_instance_name: name, ...body });

    expect(response.status).toBe(400);
    expect(response.body.errors).toEqual([
      { field: 'evolution_token', message: expect.stringMatching(/^is required: .*own token.*proves/) },
    ]);
  });

  it("When a customer links with the instance's own token, then it is linked and the token is kept", async () => {
    const { name, token } = evolutionInstance();

    const response = await link(attacker, { evolution_instance_name: name, evolution_token: token });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ evolution_instance_name: name, has_evolution_token: true });
    expect((await context.db.instances.findById(response.body.id))?.evolutionToken).toBe(token);
  });

  it('When a customer tries a name it cannot have, then every way answers the same 404, byte for byte, and nothing is linked', async () => {
    const free = evolutionInstance();
    const otherNumber = evolutionInstance();
    const liveInVictim = evolutionInstance();
    await linked(victim, liveInVictim.name, liveInVictim.token);
    const deletedByVictim = evolutionInstance();
    const deletedId = await linked(victim, deletedByVictim.name, deletedByVictim.token);
    expect(
      (await request(context.ingress.app).delete(`/api/v1/instances/${deletedId}`).set(as(victim))).status,
    ).toBe(204);
    const victimBefore = await instancesOf(victim);
    const attackerBefore = await instancesOf(attacker);

    const attempts = {
      'a wrong token': { evolution_instance_name: free.name, evolution_token: 'not-the-token' },
      "another instance's token": { evolution_instance_name: free.name, evolution_token: otherNumber.token },
      "Evolution's global key": { evolution_instance_name: free.name, evolution_token: GLOBAL_KEY },
      'a name Evolution does not know': {
        evolution_instance_name: `ghost-${randomUUID().slice(0, 8)}`,
        evolution_token: free.token,
      },
      "a name live in another account, with that instance's token": {
        evolution_instance_name: liveInVictim.name,
        evolution_token: liveInVictim.token,
      },
      "a name another account deleted, with that instance's token": {
        evolution_instance_name: deletedByVictim.name,
        evolution_token: deletedByVictim.token,
      },
    };
    const answers: Record<string, { status: number; type: string | undefined; text: string }> = {};
    for (const [why, body] of Object.entries(attempts)) {
      const response = await link(attacker, body);
      answers[why] = { status: response.status, type: response.headers['content-type'], text: response.text };
    }

    const expected = answers['a wrong token']!;
    expect(JSON.parse(expected.text)).toEqual(problem('not_found', EVOLUTION_INSTANCE_NOT_PROVEN));
    for (const why of Object.keys(attempts)) expect({ why, ...answers[why] }).toEqual({ why, ...expected });
    expect(await instancesOf(attacker)).toEqual(attackerBefore);
    expect(await instancesOf(victim)).toEqual(victimBefore);
  });

  it('When an account deleted its instance, then it may link the same name again with its token', async () => {
    const number = evolutionInstance();
    const first = await linked(victim, number.name, number.token);
    await request(context.ingress.app).delete(`/api/v1/instances/${first}`).set(as(victim));

    const again = await link(victim, { evolution_instance_name: number.name, evolution_token: number.token });

    expect(again.status).toBe(201);
    expect(again.body.id).not.toBe(first);
  });

  it('When an account links a name it already has live, then the 409 names only its own instance', async () => {
    const number = evolutionInstance();
    await linked(victim, number.name, number.token);

    const again = await link(victim, { evolution_instance_name: number.name, evolution_token: number.token });

    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(`Evolution instance ${number.name} is already linked to an instance`);
  });

  it('When the operator links without a token, or takes back a name another account deleted, then it is linked (calls use the global key)', async () => {
    const fresh = evolutionInstance();
    const withoutToken = await link(context.operator, { evolution_instance_name: fresh.name });
    expect(withoutToken.status).toBe(201);
    expect(withoutToken.body.has_evolution_token).toBe(false);
    expect(withoutToken.body.evolution_webhook.error).toBeNull();

    const released = evolutionInstance();
    const deleted = await linked(victim, released.name, released.token);
    await request(context.ingress.app).delete(`/api/v1/instances/${deleted}`).set(as(victim));
    expect((await link(context.operator, { evolution_instance_name: released.name })).status).toBe(201);
  });
});

describe("Changing an instance's Evolution token with an admin key", () => {
  let instanceId: string;
  let own: { name: string; token: string };

  beforeAll(async () => {
    own = evolutionInstance();
    instanceId = await linked(attacker, own.name, own.token);
  });

  const patch = (tenant: Tenant, body: Record<string, unknown>) =>
    request(context.ingress.app).patch(`/api/v1/instances/${instanceId}`).set(as(tenant)).send(body);

  it.each([
    ["another instance's token", () => evolutionInstance().token],
    ["Evolution's global key", () => GLOBAL_KEY],
    ['a wrong token', () => 'not-the-token'],
  ])('When a customer swaps in %s, then it answers the same 404 and the token stays', async (_n, token) => {
    const response = await patch(attacker, { evolution_token: token(), name: 'Renamed' });

    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', EVOLUTION_INSTANCE_NOT_PROVEN));
    expect(await context.db.instances.findById(instanceId)).toMatchObject({
      evolutionToken: own.token,
      name: 'Billing',
    });
  });

  it.each([
    ['null', null],
    ['an empty token', ''],
  ])(
    'When a customer clears it with %s, then it answers 400 (the global key is for the operator) and the token stays',
    async (_n, token) => {
      const response = await patch(attacker, { evolution_token: token });

      expect(response.status).toBe(400);
      expect(response.body.errors).toEqual([
        {
          field: 'evolution_token',
          message: expect.stringMatching(/^cannot be cleared: .*global key.*operator/),
        },
      ]);
      expect((await context.db.instances.findById(instanceId))?.evolutionToken).toBe(own.token);
    },
  );

  it("When the operator clears its own instance's token, then it is cleared", async () => {
    const fresh = evolutionInstance();
    const id = await linked(context.operator, fresh.name, fresh.token);

    const response = await request(context.ingress.app)
      .patch(`/api/v1/instances/${id}`)
      .set(as(context.operator))
      .send({ evolution_token: null });

    expect(response.status).toBe(200);
    expect(response.body.has_evolution_token).toBe(false);
  });
});

describe('When Evolution cannot tell', () => {
  /** An ingress whose Evolution is `baseUrl` (or none at all). */
  async function ingressWith(
    baseUrl: string | undefined,
    run: (app: IngressHarness['app']) => Promise<void>,
  ) {
    const client = baseUrl
      ? new EvolutionHttpClient({ baseUrl, globalApiKey: GLOBAL_KEY, timeoutMs: 5000 })
      : undefined;
    const away = createIngressHarness(context.db, { provisioning: provisioningWith(client) });
    try {
      await run(away.app);
    } finally {
      client?.close();
      await away.close();
    }
  }

  let failing: Server;
  let failingUrl: string;

  beforeAll(async () => {
    failing = createServer((_request, response) => response.writeHead(500).end('{"status":500}'));
    await new Promise<void>((resolve) => failing.listen(0, '127.0.0.1', resolve));
    failingUrl = `http://127.0.0.1:${(failing.address() as AddressInfo).port}`;
  });

  afterAll(async () => {
    failing.closeAllConnections();
    await new Promise<void>((resolve) => failing.close(() => resolve()));
  });

  it.each([
    [
      'cannot be reached',
      () => 'http://127.0.0.1:1',
      'Evolution API could not be reached; try again shortly',
    ],
    ['answers 500', () => failingUrl, 'Evolution API answered HTTP 500; try again shortly'],
    ['is not configured', () => undefined, 'Evolution API is not configured (EVOLUTION_API_URL)'],
  ])(
    'When Evolution %s, then linking and re-tokening answer 503, never the 404 of a refusal, and nothing changes',
    async (_n, url, detail) => {
      const number = evolutionInstance();
      const own = evolutionInstance();
      const id = await linked(attacker, own.name, own.token);
      const before = await instancesOf(attacker);

      await ingressWith(url(), async (app) => {
        const created = await link(
          attacker,
          { evolution_instance_name: number.name, evolution_token: number.token },
          app,
        );
        const patched = await request(app)
          .patch(`/api/v1/instances/${id}`)
          .set(as(attacker))
          .send({ evolution_token: number.token });

        for (const response of [created, patched]) {
          expect(response.status).toBe(503);
          expect(response.body).toEqual(problem('evolution_unavailable', detail));
        }
      });
      expect(await instancesOf(attacker)).toEqual(before);
    },
  );
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { EvolutionHttpClient } from '@telenexus/evolution';
import { createProvisioning } from '@telenexus/provisioning';
import { waitFor } from '../../../test/support/wait-for';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { createIngressHarness } from '../../../test/support/ingress-harness';
import { useSandboxedIngress } from './use-sandboxed-ingress';
import { problem } from '../../../test/support/expected-problem';

/**
 * The QR Code tab's API: `GET …/connection`, `POST …/connect` and `POST …/logout`, against the
 * sandbox, whose webhooks reach this ingress, so a scan on the "phone" shows up in the answers.
 */

const context = useSandboxedIngress('key');
let admin: Tenant;
let other: Tenant;

beforeAll(async () => {
  admin = await createTenant(context.db, { permissions: ['admin'] });
  other = await createTenant(context.db, { permissions: ['admin'] });
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

/** An instance of the account, linked to a sandbox instance in `state` whose webhook points at us. */
async function linkedInstance(
  state: 'open' | 'close',
  tenant: Tenant = admin,
): Promise<{ id: string; name: string }> {
  const name = `isp-${randomUUID().slice(0, 8)}`;
  const { token } = context.sandbox.createInstance({
    name,
    state,
    number: '254700000009',
    profileName: 'Billing ISP',
  });
  const response = await request(context.ingress.app)
    .post('/api/v1/instances')
    .set(as(tenant))
    .send({ name: 'Billing', evolution_instance_name: name, evolution_token: token, country: 'KE' });
  expect(response.status).toBe(201);
  expect(response.body.evolution_webhook.error).toBeNull();
  return { id: response.body.id as string, name };
}

const connection = (id: string, tenant: Tenant = admin) =>
  request(context.ingress.app).get(`/api/v1/instances/${id}/connection`).set(as(tenant));
const connect = (id: string, body?: object, tenant: Tenant = admin) =>
  request(context.ingress.app)
    .post(`/api/v1/instances/${id}/connect`)
    .set(as(tenant))
    .send(body ?? {});
const logout = (id: string, tenant: Tenant = admin) =>
  request(context.ingress.app).post(`/api/v1/instances/${id}/logout`).set(as(tenant));

describe('GET /api/v1/instances/:id/connection', () => {
  it('When nothing is known yet, then the state is unknown, with no QR code and an empty timeline', async () => {
    const response = await connection(admin.instance.id);

    expect(response.status).toBe(200);
    expect(response.body).toEqual({ state: 'unknown', qr: null, events: [] });
  });
});

describe('POST /api/v1/instances/:id/connect', () => {
  it('When a closed instance is reconnected, then the QR code comes back, GET connection shows it, and a scan on the phone turns it open', async () => {
    const { id, name } = await linkedInstance('close');

    const answer = await connect(id);

    expect(answer.status).toBe(200);
    const shown = context.sandbox.listInstances().find((row) => row.name === name)?.qrCode;
    expect(answer.body).toEqual({
      state: 'connecting',
      qr: { image: shown?.base64, code: shown?.code, pairing_code: null, count: 1 },
      events: [
        {
          state: 'connecting',
          reason: expect.stringMatching(/^(connect answer|connection\.update)/),
          at: expect.any(String),
        },
      ],
    });
    expect((await connection(id)).body.qr).toEqual(answer.body.qr);

    await request(context.sandboxServer.url).post(`/__sandbox/instances/${name}/scan`).expect(200);

    const open = await waitFor(async () => {
      const body = (await connection(id)).body as {
        state: string;
        qr: unknown;
        events: { state: string; reason: string }[];
      };
      return body.state === 'open' && body;
    }, 'the scan to reach the instance');
    expect(open.qr).toBeNull();
    expect(open.events[0]).toMatchObject({ state: 'open', reason: 'connection.update (statusReason 200)' });
  });

  it('When a number is given, then the QR code comes with a pairing code to type on the phone', async () => {
    const { id } = await linkedInstance('close');

    const answer = await connect(id, { number: '254700000009' });

    expect(answer.status).toBe(200);
    expect(answer.body.qr.pairing_code).toMatch(/^[A-Z0-9]{8}$/);
  });

  it('When the instance is already open, then it answers open with no QR code', async () => {
    const { id } = await linkedInstance('open');

    const answer = await connect(id);

    expect(answer.status).toBe(200);
    expect(answer.body).toMatchObject({ state: 'open', qr: null });
    expect(answer.body.events[0]).toMatchObject({ state: 'open', reason: 'connect answer' });
  });

  it('When the number is not digits, then it answers 400 naming the field', async () => {
    const { id } = await linkedInstance('close');

    const answer = await connect(id, { number: '+254 700' });

    expect(answer.status).toBe(400);
    expect(answer.body).toMatchObject({
      code: 'validation_failed',
      detail: 'number: must be 7–15 digits with the country code, e.g. 254712345678',
    });
  });

  it('When Evolution does not know the instance, then it answers 502 evolution_rejected with its words', async () => {
    // Linked by the operator to a name that Evolution never had (or has since removed).
    const gone = await createTenant(context.db, { permissions: ['admin'] });

    const answer = await connect(gone.instance.id, {}, gone);

    expect(answer.status).toBe(502);
    expect(answer.body).toMatchObject({ code: 'evolution_rejected' });
    expect(answer.body.detail).toMatch(/^Evolution API refused the request: .*HTTP 404.*does not exist/);
  });
});

describe('POST /api/v1/instances/:id/logout', () => {
  it('When an open instance is logged out, then it is closed, and logging out again still answers closed', async () => {
    const { id, name } = await linkedInstance('open');

    const first = await logout(id);
    const again = await logout(id);

    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({ state: 'close', qr: null });
    expect(first.body.events[0]).toMatchObject({ state: 'close' });
    expect(again.status).toBe(200);
    expect(again.body.state).toBe('close');
    expect(context.sandbox.listInstances().find((row) => row.name === name)?.state).toBe('close');
    expect(
      (await request(context.ingress.app).get(`/api/v1/instances/${id}`).set(as(admin))).body
        .connection_state,
    ).toBe('close');
  });
});

describe('Who may and what when Evolution is away', () => {
  it("When another account's instance is named, then every connection route answers 404 as for a missing one", async () => {
    const { id, name } = await linkedInstance('close', other);

    for (const response of [await connection(id), await connect(id), await logout(id)]) {
      expect(response.status).toBe(404);
      expect(response.body).toEqual(problem('not_found', 'Instance not found'));
    }
    expect(context.sandbox.listInstances().find((row) => row.name === name)).toMatchObject({
      state: 'close',
      qrCode: null,
    });
  });

  it('When the key is not an admin key, then it answers 403', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });

    const response = await connection(sender.instance.id, sender);

    expect(response.status).toBe(403);
    expect(response.body.code).toBe('forbidden');
  });

  it('When Evolution cannot be reached, then connect and logout answer 503 evolution_unavailable and nothing changes', async () => {
    const unreachable = new EvolutionHttpClient({ baseUrl: 'http://127.0.0.1:1', globalApiKey: 'key' });
    const away = createIngressHarness(context.db, {
      provisioning: createProvisioning({
        accounts: context.db.accounts,
        apiKeys: context.db.apiKeys,
        instances: context.db.instances,
        evolution: unreachable,
        webhookBaseUrl: 'https://hooks.example.test',
      }),
    });
    try {
      for (const path of ['connect', 'logout']) {
        const response = await request(away.app)
          .post(`/api/v1/instances/${admin.instance.id}/${path}`)
          .set(as(admin));
        expect(response.status).toBe(503);
        expect(response.body).toEqual(
          problem('evolution_unavailable', 'Evolution API could not be reached; try again shortly'),
        );
      }
      expect((await connection(admin.instance.id)).body.events).toEqual([]);
    } finally {
      unreachable.close();
      await away.close();
    }
  });

  it('When no Evolution API is configured, then connect answers 503 evolution_unavailable saying so', async () => {
    const unconfigured = createIngressHarness(context.db);
    try {
      const response = await request(unconfigured.app)
        .post(`/api/v1/instances/${admin.instance.id}/connect`)
        .set(as(admin));

      expect(response.status).toBe(503);
      expect(response.body).toEqual(
        problem('evolution_unavailable', 'Evolution API is not configured (EVOLUTION_API_URL)'),
      );
    } finally {
      await unconfigured.close();
    }
  });
});

import { randomUUID } from 'node:crypto';
import request from 'supertest';
import { hashEvolutionWebhookToken } from '@telenexus/core';
import { TEST_EVOLUTION_WEBHOOK_BASE_URL } from '../../../test/support/sandbox-provisioning';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const WEBHOOK_BASE = TEST_EVOLUTION_WEBHOOK_BASE_URL;

const context = useIngress({ operator: { permissions: ['admin'] }, evolution: { globalApiKey: 'key' } });
let admin: Tenant;
let other: Tenant;

beforeAll(async () => {
  admin = await createTenant(context.db, { permissions: ['admin'] });
  other = await createTenant(context.db, { permissions: ['admin'] });
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

/** A new sandbox instance linked by the tenant, which proves it with the instance's own token. */
async function createInstance(body: Record<string, unknown> = {}, tenant: Tenant = admin) {
  const evolutionName = `isp-${randomUUID().slice(0, 8)}`;
  const asked = typeof body.evolution_token === 'string' ? body.evolution_token : undefined;
  const { token } = context.sandbox.createInstance({
    name: evolutionName,
    ...(asked ? { token: asked } : {}),
  });
  const response = await request(context.ingress.app)
    .post('/api/v1/instances')
    .set(as(tenant))
    .send({
      name: 'Billing',
      evolution_instance_name: evolutionName,
      evolution_token: token,
      country: 'KE',
      timezone: 'Africa/Nairobi',
      ...body,
    });
  return { response, evolutionName, token };
}

describe('Instances management', () => {
  it("When an instance is created, then Evolution's webhook points at us with a path token, a JWT key and our five events", async () => {
    const { response, evolutionName } = await createInstance({ evolution_token: 'instance-token' });

    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({
      name: 'Billing',
      evolution_instance_name: evolutionName,
      has_evolution_token: true,
      connection_state: 'unknown',
      country: 'KE',
      timezone: 'Africa/Nairobi',
      evolution_webhook: { error: null },
    });
    expect(Date.parse(response.body.evolution_webhook.configured_at)).not.toBeNaN();
    expect(JSON.stringify(response.body)).not.toContain('instance-token');

    const [configured] = context.sandbox
      .listInstances()
      .filter((instance) => instance.name === evolutionName);
    const stored = await context.db.instances.findById(response.body.id);
    const path = `${WEBHOOK_BASE}/api/v1/webhooks/evolution/${response.body.id}/`;
    expect(configured?.webhook).toMatchObject({
      enabled: true,
      url: expect.stringMatching(/\/[A-Za-z0-9_-]{43}$/),
      events: ['MESSAGES_UPDATE', 'SEND_MESSAGE', 'CONNECTION_UPDATE', 'MESSAGES_UPSERT', 'QRCODE_UPDATED'],
      headers: { jwt_key: stored!.webhookJwtKey },
    });
    // Only the path token's hash is kept.
    const token = String(configured?.webhook?.url).slice(path.length);
    expect(String(configured?.webhook?.url)).toBe(`${path}${token}`);
    const [row] = await context.db.dataSource.query(
      'SELECT webhook_token_hash FROM instances WHERE id = $1',
      [response.body.id],
    );
    expect(row.webhook_token_hash).toEqual(hashEvolutionWebhookToken(token));
  });

  it('When the operator links an instance Evolution does not know, then it is still created and says why the webhook is missing', async () => {
    const response = await request(context.ingress.app)
      .post('/api/v1/instances')
      .set(as(context.operator))
      .send({ name: 'Ghost', evolution_instance_name: `ghost-${randomUUID().slice(0, 8)}` });
    expect(response.status).toBe(201);
    expect(response.body.evolution_webhook).toEqual({
      configured_at: null,
      error: expect.stringMatching(/^Evolution refused the webhook: .*does not exist/),
    });
  });

  it('When the webhook is re-applied, then Evolution gets a new path token (only its hash is kept) with the same JWT key, and the instance records success', async () => {
    const { response, evolutionName } = await createInstance();
    const webhook = () =>
      context.sandbox.listInstances().find((instance) => instance.name === evolutionName)?.webhook;
    const before = webhook();

    const reapplied = await request(context.ingress.app)
      .post(`/api/v1/instances/${response.body.id}/evolution-webhook`)
      .set(as(admin));

    expect(reapplied.status).toBe(200);
    expect(reapplied.body.evolution_webhook.error).toBeNull();
    const path = `${WEBHOOK_BASE}/api/v1/webhooks/evolution/${response.body.id}/`;
    expect(before?.url.startsWith(path)).toBe(true);
    expect(webhook()?.url.startsWith(path)).toBe(true);
    expect(webhook()?.url).not.toBe(before?.url);
    expect(webhook()?.headers).toEqual(before?.headers);
  });

  it("When instances are listed, shown and updated, then only the caller's appear and changes are validated", async () => {
    const { response } = await createInstance();
    const id = response.body.id as string;

    const listed = await request(context.ingress.app).get('/api/v1/instances').set(as(admin));
    expect(listed.body.data.map((instance: { id: string }) => instance.id)).toContain(id);
    expect(listed.body.data.map((instance: { id: string }) => instance.id)).not.toContain(other.instance.id);

    const shown = await request(context.ingress.app).get(`/api/v1/instances/${id}`).set(as(admin));
    expect(shown.body).toMatchObject({ id, name: 'Billing' });

    const updated = await request(context.ingress.app)
      .patch(`/api/v1/instances/${id}`)
      .set(as(admin))
      .send({ name: 'Billing (Nairobi)', country: 'ug', timezone: 'Africa/Kampala' });
    expect(updated.status).toBe(200);
    expect(updated.body).toMatchObject({
      name: 'Billing (Nairobi)',
      country: 'UG',
      timezone: 'Africa/Kampala',
    });

    const invalid = await request(context.ingress.app)
      .patch(`/api/v1/instances/${id}`)
      .set(as(admin))
      .send({ country: 'Kenya', timezone: 'Mars/Olympus' });
    expect(invalid.status).toBe(400);
    expect(invalid.body.errors.map((error: { field: string }) => error.field)).toEqual([
      'country',
      'timezone',
    ]);

    const empty = await request(context.ingress.app).patch(`/api/v1/instances/${id}`).set(as(admin)).send({});
    expect(empty.status).toBe(400);
  });

  it("When a tenant gives an operator-linked instance that instance's own token, then it is proven and kept", async () => {
    const tenant = await createTenant(context.db, { permissions: ['admin'] });
    const { token } = context.sandbox.createInstance({ name: tenant.instance.evolutionInstanceName });

    const updated = await request(context.ingress.app)
      .patch(`/api/v1/instances/${tenant.instance.id}`)
      .set(as(tenant))
      .send({ evolution_token: token });

    expect(updated.status).toBe(200);
    expect(updated.body.has_evolution_token).toBe(true);
    expect((await context.db.instances.findById(tenant.instance.id))?.evolutionToken).toBe(token);
  });

  it('When the API Integration details are asked for, then they carry the endpoint URL, the instance id and a cURL', async () => {
    const { response } = await createInstance();
    const id = response.body.id as string;

    const integration = await request(context.ingress.app)
      .get(`/api/v1/instances/${id}/integration`)
      .set(as(admin));

    expect(integration.status).toBe(200);
    expect(integration.body).toMatchObject({
      api_endpoint_url: `https://api.example.test/api/v1/billing/send-notification?instance_id=${id}`,
      instance_id: id,
      method: 'POST',
      headers: { 'Content-Type': 'application/json', Authorization: 'Bearer YOUR_API_KEY' },
    });
    expect(integration.body.curl_example).toContain(
      `curl -X POST "https://api.example.test/api/v1/billing/send-notification?instance_id=${id}"`,
    );
    expect(integration.body.curl_example).toContain('"message_type": "payment_reminder"');
  });

  it('When an instance is deleted, then it is gone for every route and for sending, but its messages remain', async () => {
    const { response } = await createInstance();
    const id = response.body.id as string;
    const message = await context.db.messages.acceptance.insertOutgoing({
      accountId: admin.accountId,
      instanceId: id,
      phoneNumber: '254712345678',
      customerName: 'A',
      amount: '1',
      currency: 'KES',
      invoiceId: 'DEL-1',
      dueDate: null,
      messageType: 'invoice',
    });

    expect((await request(context.ingress.app).delete(`/api/v1/instances/${id}`).set(as(admin))).status).toBe(
      204,
    );

    expect((await request(context.ingress.app).get(`/api/v1/instances/${id}`).set(as(admin))).status).toBe(
      404,
    );
    expect((await request(context.ingress.app).delete(`/api/v1/instances/${id}`).set(as(admin))).status).toBe(
      404,
    );
    const sender = await context.db.provisioning.apiKeys.create({
      accountId: admin.accountId,
      name: 'sender',
      permissions: ['send_message'],
    });
    const send = await request(context.ingress.app)
      .post(`/api/v1/billing/send-notification?instance_id=${id}`)
      .set('Authorization', `Bearer ${sender.secret}`)
      .send({
        phone_number: '254712345678',
        customer_name: 'A',
        amount: 1,
        currency: 'KES',
        invoice_id: 'DEL-2',
        message_type: 'invoice',
      });
    expect(send.status).toBe(404);
    expect(send.body).toEqual(problem('not_found', 'Instance not found'));
    expect(await context.db.messages.queries.findById(message.id)).not.toBeNull();
  });

  it('When the same Evolution instance is linked twice by its account, then the second answers 409', async () => {
    const { evolutionName, token } = await createInstance();
    const again = await request(context.ingress.app)
      .post('/api/v1/instances')
      .set(as(admin))
      .send({ name: 'Again', evolution_instance_name: evolutionName, evolution_token: token });
    expect(again.status).toBe(409);
    expect(again.body.detail).toBe(`Evolution instance ${evolutionName} is already linked to an instance`);
  });

  it('When the body is wrong, then it answers 400 naming each field', async () => {
    const response = await request(context.ingress.app)
      .post('/api/v1/instances')
      .set(as(admin))
      .send({ name: '', evolution_instance_name: 'has spaces', country: 'XX' });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('name: must not be empty');
  });

  it("When another account's instance id is used, then every route answers 404", async () => {
    for (const call of [
      request(context.ingress.app).get(`/api/v1/instances/${other.instance.id}`),
      request(context.ingress.app).patch(`/api/v1/instances/${other.instance.id}`).send({ name: 'mine' }),
      request(context.ingress.app).delete(`/api/v1/instances/${other.instance.id}`),
      request(context.ingress.app).get(`/api/v1/instances/${other.instance.id}/integration`),
      request(context.ingress.app).post(`/api/v1/instances/${other.instance.id}/evolution-webhook`),
      request(context.ingress.app).get(`/api/v1/instances/${other.instance.id}/messages`),
      request(context.ingress.app).get('/api/v1/instances/not-a-uuid'),
    ]) {
      const response = await call.set(as(admin));
      expect(response.status).toBe(404);
      expect(response.body).toEqual(problem('not_found', 'Instance not found'));
    }
    expect(await context.db.instances.findById(other.instance.id)).toMatchObject({
      name: other.instance.name,
    });
  });

  it('When a key without admin calls the Instances routes, then it answers 403', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });
    const response = await request(context.ingress.app).get('/api/v1/instances').set(as(sender));
    expect(response.status).toBe(403);
  });
});

import request from 'supertest';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useIngress } from '../../../test/support/use-ingress';
import { problem } from '../../../test/support/expected-problem';

const context = useIngress();
let admin: Tenant;
let other: Tenant;

beforeAll(async () => {
  admin = await createTenant(context.db, { permissions: ['admin'] });
  other = await createTenant(context.db, { permissions: ['admin'] });
});

const as = (tenant: Tenant) => ({ Authorization: `Bearer ${tenant.apiKey}` });

async function createKey(permissions: string[] = ['send_message'], tenant: Tenant = admin) {
  const response = await request(context.ingress.app)
    .post('/api/v1/api-keys')
    .set(as(tenant))
    .send({ name: 'WISPMAN Integration', permissions });
  expect(response.status).toBe(201);
  return response.body as { id: string; key: string; prefix: string; last4: string };
}

async function sendWith(key: string, instanceId = admin.instance.id) {
  return request(context.ingress.app)
    .get(`/api/v1/instances/${instanceId}/messages`)
    .set('Authorization', `Bearer ${key}`);
}

describe('API keys management', () => {
  it('When a key is created, then it is shown once with its metadata, and listing never shows it', async () => {
    const created = await createKey(['send_message', 'receive_message']);

    expect(created).toMatchObject({
      name: 'WISPMAN Integration',
      permissions: ['send_message', 'receive_message'],
      status: 'active',
      last_used_at: null,
    });
    expect(created.key).toMatch(/^tnx_[A-Za-z0-9_-]{43}$/);
    expect(created.prefix).toBe(created.key.slice(0, 12));
    expect(created.last4).toBe(created.key.slice(-4));

    const listed = await request(context.ingress.app).get('/api/v1/api-keys').set(as(admin));
    expect(listed.status).toBe(200);
    const entry = listed.body.data.find((key: { id: string }) => key.id === created.id);
    expect(entry).toMatchObject({
      name: 'WISPMAN Integration',
      prefix: created.prefix,
      last4: created.last4,
    });
    expect(entry).not.toHaveProperty('key');
    expect(JSON.stringify(listed.body)).not.toContain(created.key);
    expect(listed.body.data.every((key: { id: string }) => key.id !== other.apiKeyId)).toBe(true);
  });

  it('When a key is used, then its last use shows in the list', async () => {
    const created = await createKey();
    expect((await sendWith(created.key)).status).toBe(200);
    const listed = await request(context.ingress.app).get('/api/v1/api-keys').set(as(admin));
    const entry = listed.body.data.find((key: { id: string }) => key.id === created.id);
    expect(Date.parse(entry.last_used_at)).not.toBeNaN();
  });

  it('When a key is revoked, then it stops working at once', async () => {
    const created = await createKey();
    expect((await sendWith(created.key)).status).toBe(200);

    const revoked = await request(context.ingress.app)
      .delete(`/api/v1/api-keys/${created.id}`)
      .set(as(admin));

    expect(revoked.status).toBe(200);
    expect(revoked.body).toMatchObject({ id: created.id, status: 'revoked' });
    const refused = await sendWith(created.key);
    expect(refused.status).toBe(401);
    expect(refused.body).toEqual(problem('unauthenticated', 'Invalid or missing API key'));
  });

  it("When the account's last admin key would be revoked, then it is refused with 409", async () => {
    const lone = await createTenant(context.db, { permissions: ['admin'] });
    const response = await request(context.ingress.app)
      .delete(`/api/v1/api-keys/${lone.apiKeyId}`)
      .set(as(lone));
    expect(response.status).toBe(409);
    expect(response.body.detail).toMatch(/last admin key/);
    expect((await sendWith(lone.apiKey, lone.instance.id)).status).toBe(200);
  });

  it('When a key is rotated, then the new key works and the old one stops at once', async () => {
    const created = await createKey(['send_message']);

    const rotated = await request(context.ingress.app)
      .post(`/api/v1/api-keys/${created.id}/rotate`)
      .set(as(admin))
      .send({});

    expect(rotated.status).toBe(201);
    expect(rotated.body).toMatchObject({
      name: 'WISPMAN Integration',
      permissions: ['send_message'],
      replaces: created.id,
    });
    expect(rotated.body.key).not.toBe(created.key);
    expect((await sendWith(rotated.body.key)).status).toBe(200);
    expect((await sendWith(created.key)).status).toBe(401);
  });

  it('When a key is rotated with a grace period, then the old key keeps working until it expires', async () => {
    const created = await createKey(['send_message']);

    const rotated = await request(context.ingress.app)
      .post(`/api/v1/api-keys/${created.id}/rotate`)
      .set(as(admin))
      .send({ grace_seconds: 3600 });

    expect(rotated.status).toBe(201);
    expect((await sendWith(created.key)).status).toBe(200);
    const listed = await request(context.ingress.app).get('/api/v1/api-keys').set(as(admin));
    const old = listed.body.data.find((key: { id: string }) => key.id === created.id);
    expect(Date.parse(old.expires_at) - Date.now()).toBeGreaterThan(3500 * 1000);
    await context.db.dataSource.query(
      "UPDATE api_keys SET expires_at = now() - interval '1 second' WHERE id = $1",
      [created.id],
    );
    expect((await sendWith(created.key)).status).toBe(401);
  });

  it.each([
    ['name', { permissions: ['send_message'] }, 'name: is required'],
    ['permissions', { name: 'x', permissions: [] }, 'permissions: must name at least one permission'],
    [
      'permissions',
      { name: 'x', permissions: ['send_sms'] },
      /^permissions\.0: must be one of: send_message/,
    ],
  ])('When a key is created with a wrong %s, then it answers 400 naming it', async (_field, body, detail) => {
    const response = await request(context.ingress.app).post('/api/v1/api-keys').set(as(admin)).send(body);
    expect(response.status).toBe(400);
    expect(response.body.detail).toEqual(typeof detail === 'string' ? detail : expect.stringMatching(detail));
  });

  it('When a rotation asks for a negative grace period, then it answers 400 naming it', async () => {
    const created = await createKey();
    const response = await request(context.ingress.app)
      .post(`/api/v1/api-keys/${created.id}/rotate`)
      .set(as(admin))
      .send({ grace_seconds: -1 });
    expect(response.status).toBe(400);
    expect(response.body.detail).toBe('grace_seconds: must be at least 0');
  });

  it('When a key without admin calls the API Keys routes, then it answers 403', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });
    for (const call of [
      request(context.ingress.app).get('/api/v1/api-keys'),
      request(context.ingress.app)
        .post('/api/v1/api-keys')
        .send({ name: 'x', permissions: ['admin'] }),
      request(context.ingress.app).delete(`/api/v1/api-keys/${sender.apiKeyId}`),
    ]) {
      const response = await call.set(as(sender));
      expect(response.status).toBe(403);
      expect(response.body).toEqual(problem('forbidden', 'This API key does not have the admin permission'));
    }
  });

  it("When another account's key id is used, then every route answers 404", async () => {
    const theirs = await createKey(['send_message'], other);
    for (const call of [
      request(context.ingress.app).delete(`/api/v1/api-keys/${theirs.id}`),
      request(context.ingress.app).post(`/api/v1/api-keys/${theirs.id}/rotate`).send({}),
      request(context.ingress.app).delete('/api/v1/api-keys/not-a-uuid'),
    ]) {
      const response = await call.set(as(admin));
      expect(response.status).toBe(404);
      expect(response.body).toEqual(problem('not_found', 'API key not found'));
    }
    expect((await sendWith(theirs.key, other.instance.id)).status).toBe(200);
  });
});

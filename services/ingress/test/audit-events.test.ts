import { randomUUID } from 'node:crypto';
import request from 'supertest';
import type { AuditEvent } from '@telenexus/api-contract';
import type { HostResolver } from '@telenexus/core';
import { sentMessage } from '../../../test/support/sent-message';
import { createTenant, type Tenant } from '../../../test/support/test-context';
import { useSandboxedIngress } from './use-sandboxed-ingress';
import { problem } from '../../../test/support/expected-problem';

/**
 * The audit log through its exit doors: every management action performed over HTTP appears in
 * `GET /api/v1/audit-events` (and in the table) with who, from where, on what and what changed —
 * and nothing of the secrets the same requests carried.
 */

const resolveHost: HostResolver = (hostname) =>
  hostname === 'billing.example.com'
    ? Promise.resolve(['93.184.216.34'])
    : Promise.reject(new Error(`ENOTFOUND ${hostname}`));

const context = useSandboxedIngress('global-key', { resolveHost });

/** The harness trusts loopback proxies, so the client address is the one this header names. */
const CLIENT_IP = '203.0.113.7';

const as = (apiKey: string) => ({ Authorization: `Bearer ${apiKey}`, 'X-Forwarded-For': CLIENT_IP });

async function auditLog(apiKey: string, query: Record<string, string> = {}): Promise<AuditEvent[]> {
  const response = await request(context.ingress.app)
    .get('/api/v1/audit-events')
    .query({ limit: '200', ...query })
    .set(as(apiKey));
  expect(response.status).toBe(200);
  return response.body.data as AuditEvent[];
}

async function adminTenant(): Promise<Tenant & { apiKeyName: string }> {
  const tenant = await createTenant(context.db, { permissions: ['admin', 'send_message'] });
  const key = await context.db.apiKeys.findById(tenant.apiKeyId);
  return { ...tenant, apiKeyName: key!.name };
}

/** Every secret value inside Evolution's webhook settings for the instance (path token, JWT key). */
async function evolutionWebhookSecrets(instanceName: string): Promise<string[]> {
  const found = await request(context.sandboxServer.url)
    .get(`/webhook/find/${instanceName}`)
    .set('apikey', 'global-key');
  expect(found.status).toBe(200);
  const webhook = found.body as { url?: string; headers?: Record<string, string> };
  const pathToken = new URL(webhook.url ?? 'http://x').pathname.split('/').filter(Boolean).pop() ?? '';
  return [pathToken, ...Object.values(webhook.headers ?? {})].filter((value) => value.length >= 16);
}

describe('GET /api/v1/audit-events', () => {
  it('When every management action is performed through the API, then each is recorded with actor, address, target and changes, and no secret is in the log', async () => {
    const admin = await adminTenant();
    const api = request(context.ingress.app);
    const secrets: string[] = [admin.apiKey];

    // API keys: create, rotate, revoke.
    const created = await api
      .post('/api/v1/api-keys')
      .set(as(admin.apiKey))
      .send({ name: 'Billing key', permissions: ['send_message'] });
    expect(created.status).toBe(201);
    secrets.push(created.body.key);
    const rotated = await api
      .post(`/api/v1/api-keys/${created.body.id}/rotate`)
      .set(as(admin.apiKey))
      .send({ grace_seconds: 60 });
    expect(rotated.status).toBe(201);
    secrets.push(rotated.body.key);
    expect((await api.delete(`/api/v1/api-keys/${rotated.body.id}`).set(as(admin.apiKey))).status).toBe(200);

    // Instances: link with the instance's own token, change, re-point, connect, log out, delete.
    const evolutionName = `audit-${randomUUID().slice(0, 8)}`;
    const { token } = context.sandbox.createInstance({
      name: evolutionName,
      state: 'close',
      number: '254700000019',
      profileName: 'Audit ISP',
    });
    secrets.push(token);
    const instance = await api
      .post('/api/v1/instances')
      .set(as(admin.apiKey))
      .send({
        name: 'Audit number',
        evolution_instance_name: evolutionName,
        evolution_token: token,
        pacing: { min_gap_ms: 2000 },
      });
    expect(instance.status).toBe(201);
    const instanceId = instance.body.id as string;
    const updated = await api
      .patch(`/api/v1/instances/${instanceId}`)
      .set(as(admin.apiKey))
      .send({ name: 'Audit number (renamed)', pacing: { min_gap_ms: 1500 } });
    expect(updated.status).toBe(200);
    const repointed = await api
      .post(`/api/v1/instances/${instanceId}/evolution-webhook`)
      .set(as(admin.apiKey));
    expect(repointed.status).toBe(200);
    const webhookSecrets = await evolutionWebhookSecrets(evolutionName);
    expect(webhookSecrets.length).toBeGreaterThanOrEqual(1);
    secrets.push(...webhookSecrets);
    expect((await api.post(`/api/v1/instances/${instanceId}/connect`).set(as(admin.apiKey))).status).toBe(
      200,
    );
    expect((await api.post(`/api/v1/instances/${instanceId}/logout`).set(as(admin.apiKey))).status).toBe(200);
    expect((await api.delete(`/api/v1/instances/${instanceId}`).set(as(admin.apiKey))).status).toBe(204);

    // Webhook endpoints: register, change, rotate the secret, replay a delivery, delete.
    const endpoint = await api
      .post('/api/v1/webhook-endpoints')
      .set(as(admin.apiKey))
      .send({ url: 'https://billing.example.com/telenexus', events: ['message.sent'] });
    expect(endpoint.status).toBe(201);
    secrets.push(endpoint.body.secret);
    const endpointId = endpoint.body.id as string;
    const changed = await api
      .patch(`/api/v1/webhook-endpoints/${endpointId}`)
      .set(as(admin.apiKey))
      .send({ description: 'WISPMAN', events: ['message.sent', 'message.failed'] });
    expect(changed.status).toBe(200);
    const rotatedSecret = await api
      .post(`/api/v1/webhook-endpoints/${endpointId}/rotate-secret`)
      .set(as(admin.apiKey));
    expect(rotatedSecret.status).toBe(200);
    secrets.push(rotatedSecret.body.secret);
    const { messageId } = await sentMessage(context.db, admin);
    const [delivery] = await context.db.dataSource.query<{ id: string }[]>(
      'SELECT id FROM webhook_deliveries WHERE message_id = $1',
      [messageId],
    );
    const retried = await api.post(`/api/v1/webhook-deliveries/${delivery!.id}/retry`).set(as(admin.apiKey));
    expect(retried.status).toBe(202);
    expect((await api.delete(`/api/v1/webhook-endpoints/${endpointId}`).set(as(admin.apiKey))).status).toBe(
      204,
    );

    // Console sign-ins: one refused (a key that matches nothing), one succeeded.
    const unknownKey = `tnx_${randomUUID().replace(/-/g, '')}${randomUUID().replace(/-/g, '')}`;
    secrets.push(unknownKey);
    expect((await api.post('/api/v1/console/sign-in').set(as(unknownKey))).status).toBe(401);
    expect((await api.post('/api/v1/console/sign-in').set(as(admin.apiKey))).status).toBe(200);

    const events = await auditLog(admin.apiKey);
    const byAction = (action: string) => events.filter((event) => event.action === action);
    const one = (action: string) => {
      const found = byAction(action);
      expect(found).toHaveLength(1);
      return found[0]!;
    };
    const actor = { kind: 'api_key', api_key_id: admin.apiKeyId, api_key_name: admin.apiKeyName };
    const recorded = {
      account_id: admin.accountId,
      outcome: 'succeeded',
      actor,
      client_ip: CLIENT_IP,
      occurred_at: expect.any(String),
    };

    expect(one('api_key.create')).toMatchObject({
      ...recorded,
      target: { type: 'api_key', id: created.body.id },
      changes: {
        before: null,
        after: { name: 'Billing key', permissions: ['send_message'], status: 'active' },
      },
    });
    expect(one('api_key.rotate')).toMatchObject({
      ...recorded,
      target: { type: 'api_key', id: created.body.id },
      changes: { before: { expires_at: null }, after: { expires_at: expect.any(String) } },
      detail: expect.stringContaining(rotated.body.id),
    });
    expect(one('api_key.revoke')).toMatchObject({
      ...recorded,
      target: { type: 'api_key', id: rotated.body.id },
      changes: { before: { status: 'active', revoked_at: null }, after: { status: 'revoked' } },
    });
    expect(one('instance.create')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
      changes: { before: null, after: { name: 'Audit number', evolution_instance_name: evolutionName } },
    });
    expect(one('instance.update')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
      changes: {
        before: { name: 'Audit number', pacing: { min_gap_ms: 2000 } },
        after: { name: 'Audit number (renamed)', pacing: { min_gap_ms: 1500 } },
      },
    });
    expect(one('instance.evolution_webhook')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
    });
    expect(one('instance.connect')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
      detail: 'Connection state: connecting',
    });
    expect(one('instance.logout')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
    });
    expect(one('instance.delete')).toMatchObject({
      ...recorded,
      target: { type: 'instance', id: instanceId },
      changes: { before: { name: 'Audit number (renamed)' }, after: null },
    });
    expect(one('webhook_endpoint.create')).toMatchObject({
      ...recorded,
      target: { type: 'webhook_endpoint', id: endpointId },
      changes: {
        before: null,
        after: { url: 'https://billing.example.com/telenexus', events: ['message.sent'] },
      },
    });
    expect(one('webhook_endpoint.update')).toMatchObject({
      ...recorded,
      target: { type: 'webhook_endpoint', id: endpointId },
      changes: {
        before: { description: null, events: ['message.sent'] },
        after: { description: 'WISPMAN', events: ['message.sent', 'message.failed'] },
      },
    });
    expect(one('webhook_endpoint.rotate_secret')).toMatchObject({
      ...recorded,
      target: { type: 'webhook_endpoint', id: endpointId },
      changes: null,
    });
    expect(one('webhook_delivery.retry')).toMatchObject({
      ...recorded,
      target: { type: 'webhook_delivery', id: delivery!.id },
    });
    expect(one('webhook_endpoint.delete')).toMatchObject({
      ...recorded,
      target: { type: 'webhook_endpoint', id: endpointId },
      changes: { before: { url: 'https://billing.example.com/telenexus' }, after: null },
    });
    expect(one('console.sign_in')).toMatchObject({ ...recorded, target: null });

    // The refused sign-in matched no account, so only the table (the operator's view) has it.
    const refusedSignIns = await context.db.dataSource.query<{ event: unknown }[]>(
      `SELECT row_to_json(audit_events) AS event FROM audit_events
        WHERE action = 'console.sign_in' AND outcome = 'refused' AND account_id IS NULL
          AND client_ip = $1 AND occurred_at >= $2`,
      [CLIENT_IP, events.at(-1)!.occurred_at],
    );
    expect(refusedSignIns.length).toBeGreaterThanOrEqual(1);
    const tableRows = await context.db.dataSource.query<{ event: unknown }[]>(
      'SELECT row_to_json(audit_events) AS event FROM audit_events WHERE account_id = $1',
      [admin.accountId],
    );
    expect(tableRows).toHaveLength(events.length);

    // The log holds the same requests' public values, and none of their secrets.
    const everything = JSON.stringify([events, tableRows, refusedSignIns]);
    expect(everything).toContain('Audit number (renamed)');
    expect(everything).toContain('https://billing.example.com/telenexus');
    expect(everything).toContain(created.body.prefix);
    expect(secrets.length).toBeGreaterThanOrEqual(8);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThanOrEqual(16);
      expect(everything).not.toContain(secret);
    }
  });

  it('When a key without the admin permission tries a management action, then the refusal is recorded', async () => {
    const admin = await adminTenant();
    const sender = await context.db.provisioning.apiKeys.create({
      accountId: admin.accountId,
      name: 'Sender',
      permissions: ['send_message'],
    });

    const refused = await request(context.ingress.app)
      .patch(`/api/v1/instances/${admin.instance.id}`)
      .set(as(sender.secret))
      .send({ name: 'Taken over' });
    const lastAdmin = await request(context.ingress.app)
      .delete(`/api/v1/api-keys/${admin.apiKeyId}`)
      .set(as(admin.apiKey));

    expect(refused.status).toBe(403);
    expect(lastAdmin.status).toBe(409);
    const events = await auditLog(admin.apiKey);
    expect(events.filter((event) => event.outcome === 'refused')).toEqual([
      expect.objectContaining({
        action: 'api_key.revoke',
        actor: { kind: 'api_key', api_key_id: admin.apiKeyId, api_key_name: admin.apiKeyName },
        target: { type: 'api_key', id: admin.apiKeyId },
        detail: expect.stringMatching(/^conflict: .*last admin key/),
      }),
      expect.objectContaining({
        action: 'instance.update',
        actor: { kind: 'api_key', api_key_id: sender.record.id, api_key_name: 'Sender' },
        target: { type: 'instance', id: admin.instance.id },
        client_ip: CLIENT_IP,
        changes: null,
        detail: expect.stringMatching(/^forbidden: /),
      }),
    ]);
  });

  it('When the log is read page by page and filtered, then pages are newest first, complete, and only what matches', async () => {
    const admin = await adminTenant();
    const keyIds: string[] = [];
    for (const name of ['one', 'two', 'three']) {
      const created = await context.db.provisioning.apiKeys.create({
        accountId: admin.accountId,
        name,
        permissions: ['send_message'],
      });
      keyIds.push(created.record.id);
      const answer = await request(context.ingress.app)
        .post(`/api/v1/api-keys/${created.record.id}/rotate`)
        .set(as(admin.apiKey))
        .send({});
      expect(answer.status).toBe(201);
    }
    const renamed = await request(context.ingress.app)
      .patch(`/api/v1/instances/${admin.instance.id}`)
      .set(as(admin.apiKey))
      .send({ name: 'Paged' });
    expect(renamed.status).toBe(200);

    const pages: AuditEvent[][] = [];
    let cursor: string | null = null;
    do {
      const response: request.Response = await request(context.ingress.app)
        .get('/api/v1/audit-events')
        .query({ limit: '2', ...(cursor ? { cursor } : {}) })
        .set(as(admin.apiKey));
      expect(response.status).toBe(200);
      pages.push(response.body.data);
      cursor = response.body.next_cursor;
    } while (cursor);

    expect(pages.map((page) => page.length)).toEqual([2, 2]);
    const all = pages.flat();
    expect(all.map((event) => event.action)).toEqual([
      'instance.update',
      'api_key.rotate',
      'api_key.rotate',
      'api_key.rotate',
    ]);
    expect(all.slice(1).map((event) => event.target?.id)).toEqual([...keyIds].reverse());
    expect((await auditLog(admin.apiKey, { action: 'api_key.' })).map((event) => event.action)).toEqual([
      'api_key.rotate',
      'api_key.rotate',
      'api_key.rotate',
    ]);
    expect(await auditLog(admin.apiKey, { action: 'api_key.create' })).toEqual([]);
    expect(await auditLog(admin.apiKey, { action: 'instance.update' })).toEqual([all[0]]);
    expect(await auditLog(admin.apiKey, { from: all[0]!.occurred_at })).toEqual([all[0]]);
    // `to` names an instant to the millisecond, and takes it in whole.
    expect(await auditLog(admin.apiKey, { to: all[3]!.occurred_at })).toEqual([all[3]]);
    expect(await auditLog(admin.apiKey, { from: '2020-01-01', to: '2020-12-31' })).toEqual([]);
  });

  it.each([
    ['a cursor that is not ours', { cursor: 'bogus' }, 'cursor: is not a cursor from an earlier page'],
    ['an action that is not one', { action: 'DROP TABLE' }, /^action: must be an action/],
    ['a limit over the bound', { limit: '201' }, 'limit: must be at most 200'],
    ['a bad time', { from: 'yesterday' }, /^from: must be an ISO 8601 date/],
  ])('When the query has %s, then it answers 400 saying which', async (_case, query, detail) => {
    const admin = await adminTenant();
    const response = await request(context.ingress.app)
      .get('/api/v1/audit-events')
      .query(query)
      .set(as(admin.apiKey));
    expect(response.status).toBe(400);
    expect(response.body.detail).toEqual(typeof detail === 'string' ? detail : expect.stringMatching(detail));
  });

  it('When a key without the admin permission reads the log, then it answers 403', async () => {
    const sender = await createTenant(context.db, { permissions: ['send_message'] });
    const response = await request(context.ingress.app).get('/api/v1/audit-events').set(as(sender.apiKey));
    expect(response.status).toBe(403);
    expect(response.body).toEqual(problem('forbidden', 'This API key does not have the admin permission'));
  });
});

import { createHash, randomBytes } from 'node:crypto';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import jwt from 'jsonwebtoken';
import request from 'supertest';
import type { Instance } from '@telenexus/core';
import { TEST_DATABASE_URL } from '../support/test-database';
import { createTenant } from '../support/test-context';
import { useIngress } from '../support/use-ingress';
import { issueWebhookCredentials, type WebhookCredentials } from '../support/webhook-credentials';
import { ALL_PERMISSIONS, as, guideBody, pinnedResolver } from './security-support';

const run = promisify(execFile);

const context = useIngress({
  dedupeWindowMs: 0,
  resolveHost: pinnedResolver({ 'billing.example.com': ['93.184.216.34'] }),
  tenant: { permissions: ALL_PERMISSIONS },
});
let instance: Instance;
let webhook: WebhookCredentials;

beforeAll(async () => {
  webhook = await issueWebhookCredentials(context.db, context.tenant.instance.id);
  instance = (await context.db.instances.findById(context.tenant.instance.id))!;
});

/**
 * Every way a key could have been written down: as is, without its `tnx_` prefix, the part the
 * clear lookup prefix does not reveal, and the key or its 32 random bytes in base64, base64url and
 * hex (bytea columns dump as hex).
 */
function encodingsOf(key: string): string[] {
  const randomPart = Buffer.from(key.slice('tnx_'.length), 'base64url');
  return [
    key,
    key.slice('tnx_'.length),
    key.slice(12),
    Buffer.from(key).toString('base64'),
    Buffer.from(key).toString('base64url'),
    Buffer.from(key).toString('hex'),
    randomPart.toString('base64').replace(/=+$/, ''),
    randomPart.toString('hex'),
  ];
}

/** An instance of its own and its webhook path token, so a token leaked by one test cannot fail another. */
async function instanceOfNewTenant(): Promise<{ id: string; webhookToken: string }> {
  const { instance } = await createTenant(context.db);
  return { id: instance.id, webhookToken: (await issueWebhookCredentials(context.db, instance.id)).token };
}

const sha256Hex = (text: string) => createHash('sha256').update(text, 'utf8').digest('hex');

describe('API keys at rest', () => {
  let keys: string[];

  beforeAll(async () => {
    const created = await request(context.ingress.app)
      .post('/api/v1/api-keys')
      .set(as(context.tenant))
      .send({ name: 'WISPMAN', permissions: ['send_message'] });
    expect(created.status).toBe(201);
    const rotated = await request(context.ingress.app)
      .post(`/api/v1/api-keys/${created.body.id}/rotate`)
      .set(as(context.tenant))
      .send({ grace_seconds: 60 });
    expect(rotated.status).toBe(201);
    keys = [context.tenant.apiKey, String(created.body.key), String(rotated.body.key)];
  });

  it('When keys are created and rotated, then api_keys holds their SHA-256, a 12-character lookup prefix and the last 4 — and no form of the key in any column', async () => {
    const rows: { row: string; hash: string; lookup_prefix: string; last4: string }[] =
      await context.db.dataSource.query(
        `SELECT t::text AS row, encode(key_hash, 'hex') AS hash, lookup_prefix, last4
         FROM api_keys t WHERE account_id = $1`,
        [context.tenant.accountId],
      );
    expect(rows).toHaveLength(3);
    for (const key of keys) {
      const row = rows.find((candidate) => candidate.hash === sha256Hex(key));
      expect(row).toMatchObject({ lookup_prefix: key.slice(0, 12), last4: key.slice(-4) });
      for (const form of encodingsOf(key)) {
        for (const { row: text } of rows) expect(text.toLowerCase()).not.toContain(form.toLowerCase());
      }
    }
  });

  it('When the whole test database is dumped, then no key appears in it in any encoding (but its hash does)', async () => {
    const { stdout } = await run(
      'pg_dump',
      ['--data-only', '--no-owner', '--no-privileges', TEST_DATABASE_URL],
      {
        maxBuffer: 512 * 1024 * 1024,
      },
    );
    const dump = stdout.toLowerCase();
    for (const key of keys) {
      // The dump really holds this run's keys: their hashes are there.
      expect(dump).toContain(`\\\\x${sha256Hex(key)}`);
      for (const form of encodingsOf(key)) expect(dump).not.toContain(form.toLowerCase());
    }
  });
});

describe('Logs', () => {
  it('When a whole flow runs — sends, refused keys, Evolution calls with bad credentials, webhook endpoints and keys made and rotated — then no line holds a key, token, secret or phone number', async () => {
    const app = context.ingress.app;
    const phoneForms = ['254712345678', '+254 712 345 678', '0712345678', '0712 345 678'];
    const secrets: string[] = [context.tenant.apiKey, webhook.token, instance.webhookJwtKey!];
    const sendUrl = `/api/v1/billing/send-notification?instance_id=${instance.id}`;

    // Sends, with and without Idempotency-Key, single and batch, valid and not.
    expect(
      (
        await request(app)
          .post(sendUrl)
          .set(as(context.tenant))
          .send(guideBody({ invoice_id: 'LOG-1' }))
      ).status,
    ).toBe(200);
    const keyed = await request(app)
      .post(sendUrl)
      .set(as(context.tenant))
      .set('Idempotency-Key', 'log-flow-1')
      .send(guideBody({ invoice_id: 'LOG-2', phone_number: '+254 712 345 678' }));
    expect(keyed.status).toBe(200);
    const batch = await request(app)
      .post(`/api/v1/billing/send-notifications?instance_id=${instance.id}`)
      .set(as(context.tenant))
      .send({
        notifications: [
          guideBody({ invoice_id: 'LOG-3', phone_number: '0712 345 678' }),
          guideBody({ invoice_id: 'LOG-4', phone_number: '07123456789012' }),
        ],
      });
    expect(batch.status).toBe(200);
    const invalid = await request(app)
      .post(sendUrl)
      .set(as(context.tenant))
      .send(guideBody({ invoice_id: 'LOG-5', phone_number: '0712345678', amount: -1 }));
    expect(invalid.status).toBe(400);
    // A body that fails inside the database (whatever the answer): the error path logs too.
    await request(app)
      .post(sendUrl)
      .set(as(context.tenant))
      .send(guideBody({ invoice_id: 'LOG-6\ud800', phone_number: '0712345678' }));

    // Refused keys: well-formed but unknown, malformed, and as the dashboard's Basic password.
    const unknownKey = `tnx_${randomBytes(32).toString('base64url')}`;
    secrets.push(unknownKey);
    expect(
      (await request(app).post(sendUrl).set('Authorization', `Bearer ${unknownKey}`).send(guideBody()))
        .status,
    ).toBe(401);
    expect(
      (await request(app).get('/api/v1/api-keys').set('Authorization', `Bearer ${unknownKey}x`)).status,
    ).toBe(401);
    expect((await request(app).get('/admin/queues').auth('admin', unknownKey)).status).toBe(401);

    // Evolution's receiver: a made-up token, the real token with a forged JWT, the real token and JWT
    // on an unknown instance.
    const forgedJwt = jwt.sign({ exp: Math.floor(Date.now() / 1000) + 600 }, 'not-the-key', {
      algorithm: 'HS256',
    });
    const realJwt = jwt.sign({ exp: Math.floor(Date.now() / 1000) + 600 }, instance.webhookJwtKey!, {
      algorithm: 'HS256',
    });
    const madeUpToken = randomBytes(24).toString('base64url');
    secrets.push(forgedJwt, realJwt, madeUpToken);
    const receipt = {
      event: 'messages.update',
      instance: instance.evolutionInstanceName,
      data: { keyId: 'X' },
    };
    expect(
      (
        await request(app)
          .post(`/api/v1/webhooks/evolution/${instance.id}/${madeUpToken}`)
          .set('Authorization', `Bearer ${realJwt}`)
          .send(receipt)
      ).status,
    ).toBe(401);
    expect(
      (
        await request(app)
          .post(`/api/v1/webhooks/evolution/${instance.id}/${webhook.token}`)
          .set('Authorization', `Bearer ${forgedJwt}`)
          .send(receipt)
      ).status,
    ).toBe(401);
    expect(
      (
        await request(app)
          .post(`/api/v1/webhooks/evolution/00000000-0000-4000-8000-000000000000/${webhook.token}`)
          .set('Authorization', `Bearer ${realJwt}`)
          .send(receipt)
      ).status,
    ).toBe(404);

    // Webhook endpoint secrets, made and rotated; API keys, made and rotated.
    const endpoint = await request(app)
      .post('/api/v1/webhook-endpoints')
      .set(as(context.tenant))
      .send({ url: 'https://billing.example.com/hooks' });
    expect(endpoint.status).toBe(201);
    const rotatedSecret = await request(app)
      .post(`/api/v1/webhook-endpoints/${endpoint.body.id}/rotate-secret`)
      .set(as(context.tenant));
    expect(rotatedSecret.status).toBe(200);
    const key = await request(app)
      .post('/api/v1/api-keys')
      .set(as(context.tenant))
      .send({ name: 'x', permissions: ['admin'] });
    const rotatedKey = await request(app)
      .post(`/api/v1/api-keys/${key.body.id}/rotate`)
      .set(as(context.tenant))
      .send({});
    expect(rotatedKey.status).toBe(201);
    secrets.push(
      String(endpoint.body.secret),
      String(rotatedSecret.body.secret),
      String(key.body.key),
      String(rotatedKey.body.key),
    );

    const text = context.ingress.logs.text();
    /** The log lines holding a text, so a failure shows where it leaked. */
    const leaking = (secret: string) =>
      context.ingress.logs.lines().filter((line) => JSON.stringify(line).includes(secret));
    // The lines are there to be searched: one request line per call above, at least.
    expect(
      context.ingress.logs.lines().filter((line) => line.message === 'request').length,
    ).toBeGreaterThanOrEqual(14);
    expect(text).toMatch(/"status":401/);
    for (const secret of secrets) {
      expect(leaking(secret)).toEqual([]);
      // Nor the part of it after a recognisable prefix (tnx_, whsec_), which a pattern might miss.
      expect(leaking(secret.replace(/^(tnx|whsec)_/, ''))).toEqual([]);
    }
    for (const phone of [...phoneForms, '712345678']) expect(leaking(phone)).toEqual([]);
  });

  it('When requests carry secrets on paths no route matches, then /metrics labels them "unmatched", never by path', async () => {
    const instance = await instanceOfNewTenant();
    await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${instance.id}/${instance.webhookToken}/messages-update`)
      .send({ event: 'messages.update' });
    const metrics = await request(context.ingress.metricsApp).get('/metrics');
    expect(metrics.status).toBe(200);
    expect(metrics.text).not.toContain(instance.webhookToken);
    expect(metrics.text).toMatch(/route="unmatched"/);
  });

  // Regression: Evolution's "Webhook by Events" option appends the event to the webhook URL
  // (`…/<token>/messages-update`), a path no route matches. Request logs name the route pattern
  // ("unmatched" here), never the raw path, so the secret path token stays out of the log store.
  it('When Evolution posts below its webhook URL (Webhook by Events on), then the path token is not logged', async () => {
    const instance = await instanceOfNewTenant();
    const response = await request(context.ingress.app)
      .post(`/api/v1/webhooks/evolution/${instance.id}/${instance.webhookToken}/messages-update`)
      .send({ event: 'messages.update' });
    expect(response.status).toBeLessThan(500);
    const leaking = context.ingress.logs
      .lines()
      .filter((line) => JSON.stringify(line).includes(instance.webhookToken));
    expect(leaking).toEqual([]);
  });
});

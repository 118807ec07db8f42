import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { promisify } from 'node:util';
import request from 'supertest';
import { mintWebhookSecret } from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import type { WebhookDeliveryRunner } from '../../services/dispatcher/src/status-webhooks/create-webhook-delivery-worker';
import { Housekeeping } from '../../services/dispatcher/src/maintenance/housekeeping';
import { startTestWebhookDeliveryWorker } from '../../services/dispatcher/test/test-webhook-delivery-worker';
import { WebhookReceiver, type ReceivedPost } from '../../services/dispatcher/test/webhook-receiver';
import { createCapturedLogger } from '../support/captured-logger';
import { sentMessage } from '../support/sent-message';
import { officiallyVerifies } from '../support/standard-webhook-verifier';
import { useIngress } from '../support/use-ingress';
import { waitFor } from '../support/wait-for';

/**
 * Secret rotation as a billing system lives it: the secret is rotated through the API, the
 * dispatcher's delivery worker POSTs real deliveries, and receivers check them with the official
 * Standard Webhooks verifier — some still holding the old secret, some already the new one. Its own
 * database: the delivery worker takes every due delivery it finds, and pg_dump reads the whole of it.
 */
const run = promisify(execFile);
let receiver: WebhookReceiver;
let webhooks: WebhookDeliveryRunner;

// Registered before useIngress's, so it runs first: the worker stops before the database closes.
afterAll(async () => {
  await webhooks.stop();
  await receiver.close();
});

const context = useIngress({
  isolated: true,
  webhookAllowPrivateUrls: true,
  tenant: { permissions: ['admin'] },
});

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  webhooks = startTestWebhookDeliveryWorker({
    deliveries: new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets),
  });
});

const asAdmin = () => ({ Authorization: `Bearer ${context.tenant.apiKey}` });

async function endpointOnReceiver(): Promise<{ id: string; secret: string; path: string }> {
  const path = `/hooks/${randomUUID()}`;
  const created = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set(asAdmin())
    .send({ url: receiver.url(path), events: ['message.sent'] });
  expect(created.status).toBe(201);
  return { id: created.body.id, secret: created.body.secret, path };
}

/** A message goes out; resolves with the POST its `message.sent` event made to `path`. */
async function nextPost(path: string): Promise<ReceivedPost> {
  const before = receiver.to(path).length;
  await sentMessage(context.db, context.tenant);
  return waitFor(() => receiver.to(path)[before], `a POST to ${path}`);
}

const signatures = (post: ReceivedPost) => String(post.headers['webhook-signature']).split(' ');

describe('Webhook secret rotation with overlap', () => {
  it('When the secret is rotated, then deliveries carry both signatures and receivers holding only the old or only the new secret verify them; once the overlap ends only the new one signs and the old one is erased from the database', async () => {
    const endpoint = await endpointOnReceiver();
    const oldSecret = endpoint.secret;

    const rotated = await request(context.ingress.app)
      .post(`/api/v1/webhook-endpoints/${endpoint.id}/rotate-secret`)
      .set(asAdmin());
    expect(rotated.status).toBe(200);
    const newSecret = String(rotated.body.secret);
    expect(rotated.body.previous_secret_expires_at).toEqual(expect.any(String));

    // During the overlap: `v1,<new> v1,<old>`.
    const during = await nextPost(endpoint.path);
    expect(signatures(during)).toEqual([
      expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
      expect.stringMatching(/^v1,[A-Za-z0-9+/]{43}=$/),
    ]);
    expect(officiallyVerifies(oldSecret, during)).toBe(true);
    expect(officiallyVerifies(newSecret, during)).toBe(true);
    expect(officiallyVerifies(mintWebhookSecret(), during)).toBe(false);
    expect(officiallyVerifies(oldSecret, { ...during, rawBody: `${during.rawBody} ` })).toBe(false);

    // The overlap ends (moved to the past rather than waited for).
    await context.db.dataSource.query(
      `UPDATE webhook_endpoints SET previous_secret_expires_at = now() - interval '1 second' WHERE id = $1`,
      [endpoint.id],
    );
    const after = await nextPost(endpoint.path);
    expect(signatures(after)).toHaveLength(1);
    expect(officiallyVerifies(newSecret, after)).toBe(true);
    expect(officiallyVerifies(oldSecret, after)).toBe(false);

    // The dispatcher's housekeeping erases it: not in the row, not in a dump, in no form.
    await new Housekeeping(
      {
        messages: context.db.messages.maintenance,
        idempotencyKeys: context.db.idempotencyKeys,
        webhookEndpoints: new WebhookEndpointRepository(context.db.dataSource, context.db.secrets),
      },
      createCapturedLogger().logger,
    ).run();
    const [row] = await context.db.dataSource.query(
      'SELECT previous_secret, previous_secret_expires_at FROM webhook_endpoints WHERE id = $1',
      [endpoint.id],
    );
    expect(row).toEqual({ previous_secret: null, previous_secret_expires_at: null });
    const read = await request(context.ingress.app)
      .get(`/api/v1/webhook-endpoints/${endpoint.id}`)
      .set(asAdmin());
    expect(read.body.previous_secret_expires_at).toBeNull();
    const { stdout: dump } = await run('pg_dump', ['--data-only', '--no-owner', context.url], {
      maxBuffer: 64 * 1024 * 1024,
    });
    for (const secret of [oldSecret, newSecret]) {
      const encoded = secret.replace(/^whsec_/, '');
      for (const form of [secret, encoded, Buffer.from(encoded, 'base64').toString('hex')]) {
        expect(dump).not.toContain(form);
      }
    }
  });

  it('When an endpoint still has a secret minted before Standard Webhooks (base64url), then its deliveries verify with the same secret in standard base64 — the official verifier cannot read the old form, hence the README tells its owner to rotate', async () => {
    const endpoint = await endpointOnReceiver();
    const key = Buffer.alloc(32, 0xfb); // "-" and "_" in base64url
    const legacy = `whsec_${key.toString('base64url')}`;
    await context.db.dataSource.query('UPDATE webhook_endpoints SET secret = $2 WHERE id = $1', [
      endpoint.id,
      context.db.secrets.seal('webhook_endpoints.secret', legacy),
    ]);

    const post = await nextPost(endpoint.path);

    expect(officiallyVerifies(`whsec_${key.toString('base64')}`, post)).toBe(true);
    expect(officiallyVerifies(legacy, post)).toBe(false);
  });
});

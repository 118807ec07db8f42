import { randomUUID } from 'node:crypto';
import { mintWebhookSecret } from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import { officiallyVerifies } from '../../../test/support/standard-webhook-verifier';
import {
  createIsolatedTestDatabase,
  type IsolatedTestDatabase,
} from '../../../test/support/isolated-test-database';
import {
  createTenant,
  openTestDatabase,
  type DatabaseContext,
  type Tenant,
} from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import type { WebhookDeliveryRunner } from '../src/status-webhooks/create-webhook-delivery-worker';
import { startTestWebhookDeliveryWorker } from './test-webhook-delivery-worker';
import { WebhookReceiver } from './webhook-receiver';

/**
 * `instance.disconnected` and `instance.connected` name no message, yet they travel the same
 * durable queue as message events: claimed, signed with the endpoint's secret and recorded.
 */

let isolated: IsolatedTestDatabase;
let db: DatabaseContext;
let deliveries: WebhookDeliveryRepository;
let receiver: WebhookReceiver;
let tenant: Tenant;
let worker: WebhookDeliveryRunner | undefined;

beforeAll(async () => {
  // The worker claims every due delivery in its database; other test files' rows must not be among them.
  isolated = await createIsolatedTestDatabase();
  db = await openTestDatabase(isolated.url);
  deliveries = new WebhookDeliveryRepository(db.dataSource, db.secrets);
  receiver = await WebhookReceiver.start();
  tenant = await createTenant(db, { permissions: ['admin'] });
});

afterAll(async () => {
  await worker?.stop();
  await receiver.close();
  await db.close();
  await isolated.drop();
});

describe('Instance connection webhooks', () => {
  it('When an instance disconnects, then its subscribed endpoint gets instance.disconnected, signed with its secret, and the delivery is recorded as delivered', async () => {
    const path = `/hooks/${randomUUID()}`;
    const endpoint = await new WebhookEndpointRepository(db.dataSource, db.secrets).create({
      accountId: tenant.accountId,
      url: receiver.url(path),
      description: null,
      secret: mintWebhookSecret(),
      events: ['instance.disconnected', 'instance.connected'],
    });
    await db.instances.updateConnectionState(
      tenant.instance.id,
      'close',
      'connection.update (statusReason 401: logged out)',
    );
    worker = startTestWebhookDeliveryWorker({ deliveries, concurrency: 2 });

    const [post] = await waitFor(
      () => receiver.to(path).length > 0 && receiver.to(path),
      'the instance webhook',
    );

    const event = JSON.parse(post!.rawBody) as { id: string; type: string; data: Record<string, unknown> };
    expect(event).toEqual({
      id: expect.any(String),
      type: 'instance.disconnected',
      created_at: expect.stringMatching(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/),
      data: {
        instance_id: tenant.instance.id,
        name: tenant.instance.name,
        evolution_instance_name: tenant.instance.evolutionInstanceName,
        state: 'close',
        previous_state: 'unknown',
        reason: 'connection.update (statusReason 401: logged out)',
        at: expect.any(String),
      },
    });
    expect(post!.headers).toMatchObject({
      'webhook-id': event.id,
      'telenexus-event-type': 'instance.disconnected',
    });
    expect(officiallyVerifies(endpoint.secret, post!)).toBe(true);
    const recorded = await waitFor(async () => {
      const page = await deliveries.listForEndpoint({
        accountId: tenant.accountId,
        endpointId: endpoint.id,
        limit: 10,
      });
      const [delivery] = page.deliveries;
      return delivery?.status === 'delivered' && delivery;
    }, 'the delivery to be recorded as delivered');
    expect(recorded).toMatchObject({ eventType: 'instance.disconnected', messageId: null, attempts: 1 });
  });
});

import { randomUUID } from 'node:crypto';
import { mintWebhookSecret } from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import { officiallyVerifies } from '../../../test/support/standard-webhook-verifier';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { waitFor } from '../../../test/support/wait-for';
import type { WebhookDeliveryRunner } from '../src/status-webhooks/create-webhook-delivery-worker';
import { startTestWebhookDeliveryWorker } from './test-webhook-delivery-worker';
import { WebhookReceiver } from './webhook-receiver';

/**
 * `instance.disconnected` and `instance.connected` name no message, yet they travel the same
 * durable queue as message events: claimed, signed with the endpoint's secret and recorded.
 */

let deliveries: WebhookDeliveryRepository;
let receiver: WebhookReceiver;
let worker: WebhookDeliveryRunner | undefined;

// Registered before useTestDatabase's, so it runs first: the worker stops before the database closes.
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
});

// The worker claims every due delivery in its database; other test files' rows must not be among them.
const context = useTestDatabase({ isolated: true, tenant: { permissions: ['admin'] } });

beforeAll(async () => {
  deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
  receiver = await WebhookReceiver.start();
});

describe('Instance connection webhooks', () => {
  it('When an instance disconnects, then its subscribed endpoint gets instance.disconnected, signed with its secret, and the delivery is recorded as delivered', async () => {
    const path = `/hooks/${randomUUID()}`;
    const endpoint = await new WebhookEndpointRepository(context.db.dataSource, context.db.secrets).create({
      accountId: context.tenant.accountId,
      url: receiver.url(path),
      description: null,
      secret: mintWebhookSecret(),
      events: ['instance.disconnected', 'instance.connected'],
    });
    await context.db.instances.updateConnectionState(
      context.tenant.instance.id,
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
        instance_id: context.tenant.instance.id,
        name: context.tenant.instance.name,
        evolution_instance_name: context.tenant.instance.evolutionInstanceName,
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
        accountId: context.tenant.accountId,
        endpointId: endpoint.id,
        limit: 10,
      });
      const [delivery] = page.deliveries;
      return delivery?.status === 'delivered' && delivery;
    }, 'the delivery to be recorded as delivered');
    expect(recorded).toMatchObject({ eventType: 'instance.disconnected', messageId: null, attempts: 1 });
  });
});

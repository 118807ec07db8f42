import request from 'supertest';
import { WebhookDeliveryRepository } from '@telenexus/db';
import type { WebhookDeliveryRunner } from '../../services/dispatcher/src/status-webhooks/create-webhook-delivery-worker';
import { startTestWebhookDeliveryWorker } from '../../services/dispatcher/test/test-webhook-delivery-worker';
import { WebhookReceiver, type ReceivedPost } from '../../services/dispatcher/test/webhook-receiver';
import { sentMessage } from '../support/sent-message';
import { useIngress } from '../support/use-ingress';
import { waitFor } from '../support/wait-for';

/**
 * A billing system's receiver is down for a while, the events of that time fail at it, it comes
 * back and asks for a replay: it receives each missed event again, with the event id it would have
 * had, and nothing else — while another receiver of the same account, which never went down, hears
 * nothing more. Runs in its own database: the webhook worker takes every due delivery it finds.
 */
let receiver: WebhookReceiver;
let deliveries: WebhookDeliveryRepository;
let worker: WebhookDeliveryRunner | undefined;

// Registered before useIngress's, so it runs first: the worker stops before the database closes.
afterAll(async () => {
  await worker?.stop();
  await receiver.close();
});

const context = useIngress({
  isolated: true,
  webhookAllowPrivateUrls: true,
  tenant: { permissions: ['admin'] },
});

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  deliveries = new WebhookDeliveryRepository(context.db.dataSource, context.db.secrets);
});

function startWorker(): WebhookDeliveryRunner {
  return startTestWebhookDeliveryWorker({
    deliveries,
    // A failed POST is tried again only after a minute: each outage event fails exactly once here,
    // too few failures for the endpoint's breaker to open.
    backoff: { baseMs: 60_000, capMs: 60_000 },
    retryWindowMs: 24 * 3600_000,
  });
}

const auth = (): string => `Bearer ${context.tenant.apiKey}`;

async function endpointAt(path: string): Promise<string> {
  const response = await request(context.ingress.app)
    .post('/api/v1/webhook-endpoints')
    .set('Authorization', auth())
    .send({ url: receiver.url(path), events: ['message.sent'] });
  expect(response.status).toBe(201);
  return String(response.body.id);
}

/** The event id a POST carries, as the body says and as the Standard Webhooks `webhook-id` header says. */
function eventIdOf(post: ReceivedPost): string {
  const id = String((JSON.parse(post.rawBody) as { id: string }).id);
  expect(post.headers['webhook-id']).toBe(id);
  return id;
}

async function attemptsOf(deliveryId: string): Promise<number> {
  return (await deliveries.listAttempts(deliveryId)).length;
}

describe('Replay after a receiver was down', () => {
  it('When the receiver asks for a replay of its outage, then it receives each missed event again with its original event id, and the other receiver nothing', async () => {
    const down = await endpointAt('/down');
    await endpointAt('/up');
    worker = startWorker();

    // Before the outage: delivered to both.
    const before = await sentMessage(context.db, context.tenant);
    await waitFor(() => receiver.to('/down').length === 1 && receiver.to('/up').length === 1, 'first event');

    // The outage: the receiver answers 503, each event fails once.
    receiver.answerAlways('/down', { status: 503 });
    const outageStart = new Date();
    const missed = [
      await sentMessage(context.db, context.tenant),
      await sentMessage(context.db, context.tenant),
    ];
    const missedDeliveries = await Promise.all(
      missed.map(async ({ messageId }) => {
        const all = await deliveries.listForMessage(messageId);
        const toDown = all.find((delivery) => delivery.endpointId === down);
        if (!toDown) throw new Error(`no delivery of ${messageId} to the endpoint that is down`);
        return toDown;
      }),
    );
    await waitFor(
      async () => (await Promise.all(missedDeliveries.map((d) => attemptsOf(d.id)))).every((n) => n >= 1),
      'a failed attempt of each outage event',
    );
    await worker.stop();
    worker = undefined;
    // A day of retries later they are given up, as the retry window does.
    await context.db.dataSource.query(
      `UPDATE webhook_deliveries SET status = 'failed', failed_at = now() WHERE id = ANY ($1::uuid[])`,
      [missedDeliveries.map((delivery) => delivery.id)],
    );
    const outageEnd = new Date();

    // The receiver is back and asks for what it missed.
    receiver.answerAlways('/down', { status: 200 });
    const postsToDown = receiver.to('/down').length;
    const postsToUp = receiver.to('/up').length;
    expect(postsToUp).toBe(3);
    const replay = await request(context.ingress.app)
      .post(`/api/v1/webhook-endpoints/${down}/replay`)
      .set('Authorization', auth())
      .send({ since: outageStart.toISOString(), until: outageEnd.toISOString() });
    expect(replay.status).toBe(202);
    expect(replay.body.replayed).toBe(2);
    worker = startWorker();

    const missedEventIds = missedDeliveries.map((delivery) => delivery.eventId).sort();
    const redelivered = await waitFor(() => {
      const posts = receiver.to('/down').slice(postsToDown);
      return posts.length >= missedEventIds.length ? posts : undefined;
    }, 'the replayed events');
    expect(redelivered.map(eventIdOf).sort()).toEqual(missedEventIds);
    // New deliveries carried them: the delivery ids differ from the failed ones.
    const redeliveryIds = redelivered.map((post) => post.headers['telenexus-delivery-id']);
    for (const original of missedDeliveries) expect(redeliveryIds).not.toContain(original.id);
    // The payloads are the events as first sent, byte for byte.
    expect(redelivered.map((post) => post.rawBody).sort()).toEqual(
      missedDeliveries.map((delivery) => delivery.payload).sort(),
    );

    // Nothing else arrives: the event before the outage is not sent again, the other receiver hears nothing.
    const firstEvent = (await deliveries.listForMessage(before.messageId)).find((d) => d.endpointId === down);
    await waitFor(
      async () =>
        (await context.db.dataSource.query(`SELECT 1 FROM webhook_deliveries WHERE status = 'pending'`))
          .length === 0,
      'no delivery pending',
    );
    expect(receiver.to('/down').slice(postsToDown).map(eventIdOf)).not.toContain(firstEvent?.eventId);
    expect(receiver.to('/down')).toHaveLength(postsToDown + missedEventIds.length);
    expect(receiver.to('/up')).toHaveLength(postsToUp);
  });
});

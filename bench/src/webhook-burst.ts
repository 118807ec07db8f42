import type { WebhookEndpoint } from '@telenexus/core';

/** Anything that runs a parameterised statement: a TypeORM DataSource or a pg pool. */
interface Queryable {
  query(sql: string, parameters: unknown[]): Promise<unknown>;
}

/**
 * Queues `count` `message.sent` events for the endpoint at once, as the outbox writes them: pending,
 * due and stamped now (each its own `clock_timestamp()`, so latency counts from its own creation).
 * Shared by `npm run bench:webhooks` and the fair-delivery test.
 */
export async function queueWebhookBurst(
  db: Queryable,
  endpoint: WebhookEndpoint,
  count: number,
): Promise<void> {
  await db.query(
    `INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, payload, created_at, next_attempt_at)
     SELECT $1, $2, event.id, 'message.sent',
            json_build_object('id', event.id, 'type', 'message.sent', 'data', json_build_object('n', event.n)),
            clock_timestamp(), clock_timestamp()
       FROM (SELECT gen_random_uuid() AS id, n FROM generate_series(1, $3) n) event`,
    [endpoint.id, endpoint.accountId, count],
  );
}

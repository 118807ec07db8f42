import type { WebhookDelivery } from '@telenexus/core';
import type { Queryable } from './query-rows';
import { queryRows } from './query-rows';
import { toWebhookDelivery } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import type { WebhookAttemptRecord } from './webhook-delivery.repository';

/** The attempt log entry, for the statements below. */
function loggedAttempt(
  record: WebhookAttemptRecord,
  p: SqlParameters,
  id: string,
  statusCode: string,
): string {
  return `INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, error)
    VALUES (${id}, ${p.add(record.attemptedAt)}, ${p.add(Math.round(record.durationMs))}, ${statusCode},
            ${p.add(record.error)})`;
}

/**
 * A 2xx, in one statement: logs it, delivers the delivery and, if its endpoint's breaker has nothing
 * to reset (the usual case), stamps the endpoint's last success. The endpoint row is locked before
 * the delivery row (the join makes the update wait for it), the order every other writer follows.
 * A later claim's lease (this one ran out mid-POST) is that POST's and keeps counting.
 *
 * @returns the delivery as it now stands (null if it already was delivered), and whether the
 *   endpoint's breaker was clean; if not, the caller applies the success to it.
 */
export async function recordDelivered(
  db: Queryable,
  record: WebhookAttemptRecord,
): Promise<{ delivery: WebhookDelivery | null; endpointWasClean: boolean }> {
  const p = new SqlParameters();
  const id = p.add(record.deliveryId);
  const statusCode = `${p.add(record.statusCode)}::integer`;
  const finishedAt = p.add(record.finishedAt);
  const rows = await queryRows(
    db,
    `WITH endpoint AS (
       SELECT endpoint.id,
              endpoint.consecutive_failures = 0 AND endpoint.next_probe_at IS NULL AS clean
         FROM webhook_endpoints endpoint
        WHERE endpoint.id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ${id})
          FOR NO KEY UPDATE
     ), logged AS (${loggedAttempt(record, p, id, statusCode)}),
     updated AS (
       UPDATE webhook_deliveries delivery
          SET status = 'delivered', delivered_at = ${finishedAt}, failed_at = NULL,
              last_status_code = ${statusCode}, last_error = NULL,
              leased_until = CASE WHEN delivery.attempts = ${p.add(record.claimedAttempts)} THEN NULL
                                  ELSE delivery.leased_until END
         FROM endpoint
        WHERE delivery.id = ${id} AND delivery.endpoint_id = endpoint.id AND delivery.status <> 'delivered'
       RETURNING delivery.*
     ), stamped AS (
       UPDATE webhook_endpoints SET last_succeeded_at = ${finishedAt}
         FROM endpoint WHERE webhook_endpoints.id = endpoint.id AND endpoint.clean
     )
     SELECT updated.*, endpoint.clean AS endpoint_clean FROM endpoint LEFT JOIN updated ON true`,
    p.values,
  );
  const row = rows[0];
  return {
    delivery: row && row.id !== null && row.id !== undefined ? toWebhookDelivery(row) : null,
    endpointWasClean: row?.endpoint_clean !== false,
  };
}

/**
 * A failure: logs it and schedules the retry, gives the delivery up, or — when the breaker found
 * the endpoint down (`waitUntil`) — lets it wait past its retry window. Only while the row is
 * still this claim's: a worker whose lease ran out must not undo a later attempt's result.
 */
export async function recordFailure(
  db: Queryable,
  record: WebhookAttemptRecord,
  waitUntil: Date | null,
): Promise<WebhookDelivery | null> {
  const { outcome } = record;
  if (outcome.kind === 'delivered') throw new TypeError('recordFailure takes failed attempts only');
  const p = new SqlParameters();
  const id = p.add(record.deliveryId);
  const statusCode = `${p.add(record.statusCode)}::integer`;
  const waits = outcome.kind === 'failed' && waitUntil !== null;
  const lastError =
    outcome.kind === 'failed' && waits ? (outcome.attemptError ?? outcome.lastError) : outcome.lastError;
  let change: string;
  if (outcome.kind === 'retry') change = `next_attempt_at = ${p.add(outcome.nextAttemptAt)}`;
  else if (waits) change = `next_attempt_at = ${p.add(waitUntil)}`;
  else change = `status = 'failed', failed_at = ${p.add(record.finishedAt)}`;
  const rows = await queryRows(
    db,
    `WITH logged AS (${loggedAttempt(record, p, id, statusCode)}),
     updated AS (
       UPDATE webhook_deliveries
          SET ${change}, last_status_code = ${statusCode}, last_error = ${p.add(lastError)}, leased_until = NULL
        WHERE id = ${id} AND status = 'pending' AND attempts = ${p.add(record.claimedAttempts)}
       RETURNING *
     )
     SELECT * FROM updated`,
    p.values,
  );
  return rows[0] ? toWebhookDelivery(rows[0]) : null;
}

import type { WebhookDelivery } from '@telenexus/core';
import type { Queryable } from '../repositories/query-rows';
import { queryRows } from '../repositories/query-rows';
import { toWebhookDelivery, type Row } from '../repositories/row-mappers';
import { SqlParameters } from '../repositories/sql-parameters';
import type { WebhookAttemptRecord } from './webhook-attempt-record';

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

/** After a success, take the endpoint's next due delivery under the same lease count (see `recordDelivered`). */
export interface WebhookHandOver {
  /** The time a due delivery is due by (the worker's clock, as in a claim). */
  readonly now: Date;
  /** Until when the next delivery is leased. */
  readonly leasedUntil: Date;
}

/** A recorded success, and the endpoint's next delivery when the lease was handed over. */
export interface RecordedDelivered {
  /** The delivery as it now stands, or null if it already was delivered. */
  readonly delivery: WebhookDelivery | null;
  /** False when the endpoint's breaker had something to reset: the caller applies the success to it. */
  readonly endpointWasClean: boolean;
  /** The endpoint's next delivery, claimed for its POST (row with the `endpoint_*` columns of a claim). */
  readonly next: Row | null;
}

/**
 * How old the endpoint's `last_succeeded_at` may grow before a success at a clean endpoint writes it
 * again. It only decides whether a failing delivery may be given up (`mayGiveUpWebhookDelivery`), so
 * a stamp this late at most lets a delivery wait for its endpoint one retry longer; stamping every
 * success would make each one write, and queue on, the endpoint's row.
 */
const STAMP_STALE_AFTER = "interval '1 second'";

/**
 * A 2xx, in one statement: logs it, delivers the delivery and, if its endpoint's breaker has nothing
 * to reset (the usual case), stamps the endpoint's last success when that stamp has gone stale. The
 * endpoint row is share-locked before the delivery row (the join makes the update wait for it): the
 * breaker's writers, which lock it exclusively, wait for the successes in flight and see them, while
 * successes at one endpoint do not wait for each other. The stamp takes the row only if no other
 * success holds it (`SKIP LOCKED`): two successes upgrading the same share lock would deadlock.
 * A later claim's lease (this one ran out mid-POST) is that POST's and keeps counting.
 *
 * With `handOver`, the same statement also passes the lease it releases to the endpoint's oldest
 * due delivery and returns that one, so a worker goes from POST to POST at an endpoint with a
 * backlog without a claim in between. The endpoint's lease count does not change (one released,
 * one taken, in one commit), so its in-flight cap holds across dispatchers without the claim lock;
 * a claim that raced for the same row rechecks `next_attempt_at` and passes it over. Only at a clean,
 * enabled endpoint, and only when this POST's lease still counted (its own, not run out) when it ended.
 */
export async function recordDelivered(
  db: Queryable,
  record: WebhookAttemptRecord,
  handOver: WebhookHandOver | null = null,
): Promise<RecordedDelivered> {
  const p = new SqlParameters();
  const id = p.add(record.deliveryId);
  const statusCode = `${p.add(record.statusCode)}::integer`;
  const finishedAt = p.add(record.finishedAt);
  const claimedAttempts = p.add(record.claimedAttempts);
  const handOverSql = handOver
    ? `, picked AS (
       SELECT due.id FROM webhook_deliveries due, endpoint
        WHERE due.endpoint_id = endpoint.id AND due.status = 'pending' AND due.id <> ${id}
          AND due.next_attempt_at <= ${p.add(handOver.now)}
          AND endpoint.clean AND endpoint.usable
          AND EXISTS (SELECT 1 FROM updated WHERE updated.lease_live)
        ORDER BY due.next_attempt_at LIMIT 1
          FOR UPDATE OF due SKIP LOCKED
     ), taken AS (
       UPDATE webhook_deliveries delivery
          SET attempts = delivery.attempts + 1, next_attempt_at = ${p.add(handOver.leasedUntil)},
              leased_until = ${p.add(handOver.leasedUntil)}
         FROM picked WHERE delivery.id = picked.id
       RETURNING delivery.*
     )`
    : ', taken AS (SELECT * FROM webhook_deliveries WHERE false)';
  const rows = await queryRows(
    db,
    `WITH endpoint AS (
       SELECT endpoint.id, endpoint.url, endpoint.secret,
              -- Expired but not yet erased by housekeeping: it no longer signs.
              CASE WHEN endpoint.previous_secret_expires_at > ${finishedAt} THEN endpoint.previous_secret END
                AS previous_secret,
              endpoint.consecutive_failures = 0 AND endpoint.next_probe_at IS NULL AS clean,
              endpoint.enabled AND endpoint.disabled_at IS NULL AND endpoint.deleted_at IS NULL AS usable
         FROM webhook_endpoints endpoint
        WHERE endpoint.id = (SELECT endpoint_id FROM webhook_deliveries WHERE id = ${id})
          FOR SHARE
     ), logged AS (${loggedAttempt(record, p, id, statusCode)}),
     updated AS (
       UPDATE webhook_deliveries delivery
          SET status = 'delivered', delivered_at = ${finishedAt}, failed_at = NULL,
              last_status_code = ${statusCode}, last_error = NULL,
              leased_until = CASE WHEN delivery.attempts = ${claimedAttempts} THEN NULL
                                  ELSE delivery.leased_until END
         FROM endpoint, (SELECT leased_until FROM webhook_deliveries WHERE id = ${id}) claim
        WHERE delivery.id = ${id} AND delivery.endpoint_id = endpoint.id AND delivery.status <> 'delivered'
       -- Still counting against the cap when the POST ended: the claim is this one (attempts, as
       -- the row now stands) and its lease had not run out (as the claim left it).
       RETURNING delivery.*, delivery.attempts = ${claimedAttempts} AND claim.leased_until > ${finishedAt}
         AS lease_live
     ), stamped AS (
       UPDATE webhook_endpoints SET last_succeeded_at = ${finishedAt}
        WHERE id IN (
          SELECT stale.id FROM webhook_endpoints stale, endpoint
           WHERE stale.id = endpoint.id AND endpoint.clean
             AND (stale.last_succeeded_at IS NULL
                  OR stale.last_succeeded_at < ${finishedAt}::timestamptz - ${STAMP_STALE_AFTER})
             FOR NO KEY UPDATE OF stale SKIP LOCKED)
     )${handOverSql}
     SELECT 'recorded' AS role, updated.*, endpoint.clean AS endpoint_clean, NULL AS endpoint_url,
            NULL AS endpoint_secret, NULL AS endpoint_previous_secret
       FROM endpoint LEFT JOIN updated ON true
     UNION ALL
     SELECT 'next', taken.*, NULL, NULL, endpoint.url, endpoint.secret, endpoint.previous_secret
       FROM taken, endpoint`,
    p.values,
  );
  const recorded = rows.find((row) => row.role === 'recorded');
  return {
    delivery:
      recorded && recorded.id !== null && recorded.id !== undefined ? toWebhookDelivery(recorded) : null,
    endpointWasClean: recorded?.endpoint_clean !== false,
    next: rows.find((row) => row.role === 'next') ?? null,
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

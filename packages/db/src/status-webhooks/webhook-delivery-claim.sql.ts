import type { DataSource } from 'typeorm';
import { queryRows } from '../repositories/query-rows';
import type { Row } from '../repositories/row-mappers';
import { ENDPOINT_DELETED_ERROR, ENDPOINT_DISABLED_ERROR } from './webhook-endpoint.repository';

export interface WebhookClaimRequest {
  readonly limit: number;
  readonly now: Date;
  readonly leaseMs: number;
  /** Deliveries of one endpoint in flight at most, across every dispatcher; 1 while its circuit is open. */
  readonly maxInFlightPerEndpoint: number;
}

/**
 * Names the claim locks in Postgres's advisory-lock space (the two-key form: this, then a hash of
 * the endpoint id; a collision only makes a claim pass an endpoint over once).
 */
const CLAIM_LOCK_SPACE = 1_795_850;

/**
 * The endpoints a claim may take deliveries of, locked for the rest of the claim's transaction.
 * `pending` is a skip scan over `webhook_deliveries_endpoint_due_idx`: one index probe per endpoint
 * that has pending deliveries, so an endpoint with a backlog of thousands costs one probe, not a
 * walk over its rows. An endpoint is a candidate when it has a due delivery and room (its in-flight
 * leases under the cap, a probe due if its circuit is open), or when it was disabled or deleted (its
 * stragglers are given up). Oldest due delivery first.
 *
 * The lock is an advisory one, tried (an endpoint another dispatcher is claiming for is passed
 * over), not the endpoint row's: recording an attempt locks that row, and a claim must not skip an
 * endpoint because one of its POSTs is being recorded. `OFFSET 0` keeps the lock out of the
 * candidates' query, so only the endpoints returned (and any found locked) are tried.
 */
const LOCK_ENDPOINTS = `
  WITH RECURSIVE pending AS (
    (SELECT endpoint_id FROM webhook_deliveries WHERE status = 'pending' ORDER BY endpoint_id LIMIT 1)
    UNION ALL
    SELECT (SELECT later.endpoint_id FROM webhook_deliveries later
             WHERE later.status = 'pending' AND later.endpoint_id > pending.endpoint_id
             ORDER BY later.endpoint_id LIMIT 1)
      FROM pending WHERE pending.endpoint_id IS NOT NULL
  )
  SELECT candidate.id, candidate.halted FROM (
    SELECT endpoint.id, (endpoint.deleted_at IS NOT NULL OR NOT endpoint.enabled) AS halted
      FROM pending
      JOIN webhook_endpoints endpoint ON endpoint.id = pending.endpoint_id
      CROSS JOIN LATERAL (
        SELECT due.next_attempt_at FROM webhook_deliveries due
         WHERE due.endpoint_id = endpoint.id AND due.status = 'pending' AND due.next_attempt_at <= $1
         ORDER BY due.next_attempt_at LIMIT 1) oldest
     WHERE endpoint.deleted_at IS NOT NULL OR NOT endpoint.enabled
        OR (endpoint.disabled_at IS NULL
            AND (endpoint.next_probe_at IS NULL OR endpoint.next_probe_at <= $1)
            AND (SELECT count(*) FROM webhook_deliveries leased
                  WHERE leased.endpoint_id = endpoint.id AND leased.status = 'pending'
                    AND leased.leased_until > $1)
                < CASE WHEN endpoint.next_probe_at IS NULL THEN $3::integer ELSE 1 END)
     ORDER BY oldest.next_attempt_at
    OFFSET 0
  ) candidate
   WHERE pg_try_advisory_xact_lock(${CLAIM_LOCK_SPACE}, hashtext(candidate.id::text))
   LIMIT $2`;

/**
 * Claims deliveries of the locked endpoints. It runs as a statement of its own so that its snapshot
 * is taken after the locks: a claim that committed just before sees its leases counted here, which
 * is what makes the cap hold across dispatchers. Each endpoint gets its first delivery before any
 * gets a second (`turn`), so one endpoint's backlog cannot fill a worker's free slots.
 */
const CLAIM_DELIVERIES = `
  WITH halted AS (
    UPDATE webhook_deliveries delivery
       SET status = 'failed', failed_at = $1, leased_until = NULL,
           last_error = CASE WHEN endpoint.deleted_at IS NOT NULL THEN $7 ELSE $8 END
      FROM webhook_endpoints endpoint
     WHERE endpoint.id = ANY ($6::uuid[]) AND delivery.endpoint_id = endpoint.id
       AND delivery.status = 'pending'
  ), picked AS (
    SELECT pick.id
      FROM webhook_endpoints endpoint
      CROSS JOIN LATERAL (
        SELECT count(*)::integer AS n FROM webhook_deliveries leased
         WHERE leased.endpoint_id = endpoint.id AND leased.status = 'pending' AND leased.leased_until > $1
      ) in_flight
      CROSS JOIN LATERAL (
        -- Numbered after the LIMIT: over the whole backlog, row_number would read all of it.
        SELECT first.id, first.next_attempt_at, row_number() OVER (ORDER BY first.next_attempt_at) AS turn
          FROM (
            SELECT due.id, due.next_attempt_at FROM webhook_deliveries due
             WHERE due.endpoint_id = endpoint.id AND due.status = 'pending' AND due.next_attempt_at <= $1
             ORDER BY due.next_attempt_at
             LIMIT greatest(0, CASE WHEN endpoint.next_probe_at IS NULL THEN $3::integer ELSE 1 END - in_flight.n)
          ) first
      ) pick
     WHERE endpoint.id = ANY ($5::uuid[])
     ORDER BY pick.turn, pick.next_attempt_at
     LIMIT $2
  ), claimed AS (
    UPDATE webhook_deliveries delivery
       SET attempts = delivery.attempts + 1, next_attempt_at = $4, leased_until = $4
      FROM picked
     -- Rechecked on the row as it now stands: a success's hand-over (which takes no claim lock)
     -- may have leased it since this statement's snapshot, pushing next_attempt_at ahead.
     WHERE delivery.id = picked.id AND delivery.status = 'pending' AND delivery.next_attempt_at <= $1
    RETURNING delivery.*
  )
  SELECT claimed.*, endpoint.url AS endpoint_url, endpoint.secret AS endpoint_secret,
         -- Expired but not yet erased by housekeeping: it no longer signs.
         CASE WHEN endpoint.previous_secret_expires_at > $1 THEN endpoint.previous_secret END
           AS endpoint_previous_secret
    FROM claimed JOIN webhook_endpoints endpoint ON endpoint.id = claimed.endpoint_id`;

/**
 * Claims up to `limit` due deliveries, at most `maxInFlightPerEndpoint` of any endpoint in flight at
 * once across every dispatcher: counts each attempt and leases it (`leased_until`, and
 * `next_attempt_at` pushed to the same time) until `now + leaseMs`. An open circuit allows one probe
 * once its time has come; a disabled endpoint none (its deliveries wait). Pending deliveries of an
 * endpoint disabled or deleted meanwhile (a status change racing the change) are given up.
 *
 * @returns the claimed rows with the endpoint's `endpoint_url`, `endpoint_secret` and
 *   `endpoint_previous_secret` (sealed).
 */
export function claimWebhookDeliveries(dataSource: DataSource, request: WebhookClaimRequest): Promise<Row[]> {
  const { now, limit, maxInFlightPerEndpoint } = request;
  return dataSource.transaction(async (manager) => {
    const endpoints = await queryRows(manager, LOCK_ENDPOINTS, [now, limit, maxInFlightPerEndpoint]);
    if (endpoints.length === 0) return [];
    const claimable = endpoints.filter((row) => row.halted !== true).map((row) => String(row.id));
    const halted = endpoints.filter((row) => row.halted === true).map((row) => String(row.id));
    return queryRows(manager, CLAIM_DELIVERIES, [
      now,
      limit,
      maxInFlightPerEndpoint,
      new Date(now.getTime() + request.leaseMs),
      claimable,
      halted,
      ENDPOINT_DELETED_ERROR,
      ENDPOINT_DISABLED_ERROR,
    ]);
  });
}

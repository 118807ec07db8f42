import {
  afterWebhookAttempt,
  mayGiveUpWebhookDelivery,
  type WebhookCircuit,
  type WebhookCircuitPolicy,
} from '@telenexus/core';
import type { EntityManager } from 'typeorm';
import { queryRows } from '../repositories/query-rows';
import { toWebhookCircuit } from '../repositories/row-mappers';

/** What an attempt's outcome needs from its delivery and endpoint. */
interface AttemptedEndpoint {
  readonly endpointId: string;
  readonly accountId: string;
  readonly deliveryCreatedAt: Date;
  readonly circuit: WebhookCircuit;
}

/** A finished POST as the breaker sees it. */
export interface CircuitObservation {
  readonly deliveryId: string;
  readonly succeeded: boolean;
  readonly startedAt: Date;
  readonly finishedAt: Date;
  /** The retry window has passed for this delivery: it is given up unless its endpoint is down. */
  readonly windowPassed: boolean;
}

/** What the breaker makes of the attempt, for its delivery. */
export interface CircuitVerdict {
  /** The endpoint is down rather than refusing this delivery: it waits until this time instead. */
  readonly waitUntil: Date | null;
}

/**
 * Applies one finished POST to its endpoint's breaker, inside the transaction that records it. The
 * endpoint row is locked first (every writer takes endpoint, then deliveries, so none deadlock) and
 * the count is read, changed and written under that lock: two attempts finishing together both count.
 * A successful probe makes the endpoint's waiting deliveries due at once; the breaker disabling the
 * endpoint is recorded in the audit log in the same transaction, by the `system` actor.
 */
export async function applyCircuitObservation(
  manager: EntityManager,
  observation: CircuitObservation,
  policy: WebhookCircuitPolicy,
): Promise<CircuitVerdict> {
  const endpoint = await lockEndpointOf(manager, observation.deliveryId);
  if (!endpoint) return { waitUntil: null };
  const change = afterWebhookAttempt(endpoint.circuit, observation, policy);
  const { circuit } = change;
  await queryRows(
    manager,
    `UPDATE webhook_endpoints
        SET consecutive_failures = $2, failing_since = $3, next_probe_at = $4, disabled_at = $5,
            last_succeeded_at = $6
      WHERE id = $1`,
    [
      endpoint.endpointId,
      circuit.consecutiveFailures,
      circuit.failingSince,
      circuit.nextProbeAt,
      circuit.disabledAt,
      circuit.lastSucceededAt,
    ],
  );
  if (change.closed) {
    await queryRows(
      manager,
      `UPDATE webhook_deliveries SET next_attempt_at = $2
        WHERE endpoint_id = $1 AND status = 'pending' AND next_attempt_at > $2 AND leased_until IS NULL`,
      [endpoint.endpointId, observation.finishedAt],
    );
  }
  if (change.disabled) await recordAutoDisable(manager, endpoint, circuit, policy);
  const waits =
    !observation.succeeded &&
    observation.windowPassed &&
    !mayGiveUpWebhookDelivery(endpoint.deliveryCreatedAt, circuit);
  return {
    waitUntil: waits
      ? (circuit.nextProbeAt ?? new Date(observation.finishedAt.getTime() + policy.probeBaseMs))
      : null,
  };
}

async function lockEndpointOf(manager: EntityManager, deliveryId: string): Promise<AttemptedEndpoint | null> {
  const rows = await queryRows(
    manager,
    `SELECT endpoint.*, delivery.created_at AS delivery_created_at
       FROM webhook_deliveries delivery
       JOIN webhook_endpoints endpoint ON endpoint.id = delivery.endpoint_id
      WHERE delivery.id = $1
        FOR NO KEY UPDATE OF endpoint`,
    [deliveryId],
  );
  const row = rows[0];
  if (!row || !(row.delivery_created_at instanceof Date)) return null;
  return {
    endpointId: String(row.id),
    accountId: String(row.account_id),
    deliveryCreatedAt: row.delivery_created_at,
    circuit: toWebhookCircuit(row),
  };
}

async function recordAutoDisable(
  manager: EntityManager,
  endpoint: AttemptedEndpoint,
  circuit: WebhookCircuit,
  policy: WebhookCircuitPolicy,
): Promise<void> {
  const hours = Math.round(policy.disableAfterMs / 3_600_000);
  await queryRows(
    manager,
    `INSERT INTO audit_events (account_id, action, outcome, actor_kind, target_type, target_id, changes, detail)
     VALUES ($1, 'webhook_endpoint.auto_disable', 'succeeded', 'system', 'webhook_endpoint', $2, $3::jsonb, $4)`,
    [
      endpoint.accountId,
      endpoint.endpointId,
      JSON.stringify({ before: { circuit: 'open' }, after: { circuit: 'disabled' } }),
      `Every delivery attempt has failed since ${circuit.failingSince?.toISOString() ?? 'unknown'} ` +
        `(${circuit.consecutiveFailures} in a row, over ${hours} h): deliveries wait until an admin enables ` +
        'the endpoint again.',
    ],
  );
}

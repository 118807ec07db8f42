import type { WebhookEndpoint, WebhookEventType } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../secrets/secret-box';
import { queryRows } from '../repositories/query-rows';
import { toWebhookEndpoint } from '../repositories/row-mappers';
import { SqlParameters } from '../repositories/sql-parameters';

/** An endpoint as an account registers it; the URL has already passed the address checks. */
export interface NewWebhookEndpoint {
  readonly accountId: string;
  readonly url: string;
  readonly description: string | null;
  readonly secret: string;
  readonly events: readonly WebhookEventType[];
}

/** What an update may change; absent fields stay as they are. */
export interface WebhookEndpointChanges {
  readonly url?: string;
  readonly description?: string | null;
  readonly events?: readonly WebhookEventType[];
  readonly enabled?: boolean;
}

/** Why pending deliveries of an endpoint were given up, as their `last_error` says. */
export const ENDPOINT_DISABLED_ERROR = 'The endpoint was disabled before this event could be delivered';
export const ENDPOINT_DELETED_ERROR = 'The endpoint was deleted before this event could be delivered';

/**
 * A failure of every pending delivery of the endpoints in the `target` CTE (id, enabled): when an
 * endpoint stops receiving, what it still owed is given up in the same statement — visible in the
 * deliveries log, retryable once the endpoint is enabled again — rather than left for the delivery
 * worker to skip over on every poll.
 */
function haltPendingDeliveries(reason: string, p: SqlParameters, onlyDisabled: boolean): string {
  return `halted AS (
    UPDATE webhook_deliveries delivery
       SET status = 'failed', failed_at = now(), last_error = ${p.add(reason)}
      FROM target
     WHERE delivery.endpoint_id = target.id AND delivery.status = 'pending'${onlyDisabled ? ' AND NOT target.enabled' : ''}
  )`;
}

/** Clears the breaker: the endpoint is tried for every event again. */
const RESET_CIRCUIT =
  'consecutive_failures = 0, failing_since = NULL, next_probe_at = NULL, disabled_at = NULL';

/**
 * The deliveries that waited for an endpoint the breaker had opened or disabled are due at once
 * when it is enabled again (the snapshot's `tripped` is the row before this statement's update).
 */
const RESUME_DELIVERIES = `resumed AS (
    UPDATE webhook_deliveries delivery SET next_attempt_at = now()
      FROM target JOIN tripped ON tripped.id = target.id
     WHERE delivery.endpoint_id = target.id AND delivery.status = 'pending' AND target.enabled
       AND delivery.next_attempt_at > now() AND delivery.leased_until IS NULL
  )`;

/**
 * The account's status webhook endpoints. Every lookup is scoped to the account, so another
 * account's id reads as missing; deleted endpoints are kept (their deliveries are history) but never
 * returned.
 */
export class WebhookEndpointRepository {
  private readonly toWebhookEndpoint: (row: Record<string, unknown>) => WebhookEndpoint;

  /** The signing secret is encrypted with `secrets` on write and decrypted on read. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {
    this.toWebhookEndpoint = (row) => toWebhookEndpoint(row, secrets);
  }

  async create(endpoint: NewWebhookEndpoint): Promise<WebhookEndpoint> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO webhook_endpoints (account_id, url, description, secret, events)
       VALUES ($1, $2, $3, $4, $5::text[]) RETURNING *`,
      [
        endpoint.accountId,
        endpoint.url,
        endpoint.description,
        this.secrets.seal('webhook_endpoints.secret', endpoint.secret),
        endpoint.events,
      ],
    );
    return this.toWebhookEndpoint(rows[0]!);
  }

  /** Oldest first: the order they were registered in. */
  async listForAccount(accountId: string): Promise<WebhookEndpoint[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT * FROM webhook_endpoints WHERE account_id = $1 AND deleted_at IS NULL ORDER BY created_at, id`,
      [accountId],
    );
    return rows.map(this.toWebhookEndpoint);
  }

  async findForAccount(accountId: string, id: string): Promise<WebhookEndpoint | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM webhook_endpoints WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL',
      [id, accountId],
    );
    return rows[0] ? this.toWebhookEndpoint(rows[0]) : null;
  }

  /** Applies the changes; disabling also gives up the deliveries still pending. */
  async update(
    accountId: string,
    id: string,
    changes: WebhookEndpointChanges,
  ): Promise<WebhookEndpoint | null> {
    const p = new SqlParameters();
    const sets = ['updated_at = now()'];
    if (changes.url !== undefined) sets.push(`url = ${p.add(changes.url)}`);
    if (changes.description !== undefined) sets.push(`description = ${p.add(changes.description)}`);
    if (changes.events !== undefined) sets.push(`events = ${p.add(changes.events)}::text[]`);
    if (changes.enabled !== undefined) sets.push(`enabled = ${p.add(changes.enabled)}`);
    // Enabling is also how an admin takes back an endpoint the breaker opened or disabled.
    if (changes.enabled === true) sets.push(RESET_CIRCUIT);
    const endpointId = p.add(id);
    const rows = await queryRows(
      this.dataSource,
      `WITH tripped AS (
         SELECT id FROM webhook_endpoints
          WHERE id = ${endpointId} AND (next_probe_at IS NOT NULL OR disabled_at IS NOT NULL)
       ), target AS (
         UPDATE webhook_endpoints SET ${sets.join(', ')}
         WHERE id = ${endpointId} AND account_id = ${p.add(accountId)} AND deleted_at IS NULL
         RETURNING *
       ), ${haltPendingDeliveries(ENDPOINT_DISABLED_ERROR, p, true)}${changes.enabled === true ? `, ${RESUME_DELIVERIES}` : ''}
       SELECT * FROM target`,
      p.values,
    );
    return rows[0] ? this.toWebhookEndpoint(rows[0]) : null;
  }

  /**
   * Replaces the signing secret. With `previousSecretExpiresAt`, the replaced secret keeps signing
   * beside the new one until then; with null it stops at once. Either way a secret replaced earlier
   * is dropped: deliveries carry at most two signatures.
   */
  async rotateSecret(
    accountId: string,
    id: string,
    secret: string,
    previousSecretExpiresAt: Date | null,
  ): Promise<WebhookEndpoint | null> {
    return this.dataSource.transaction(async (manager) => {
      const [current] = await queryRows(
        manager,
        `SELECT secret FROM webhook_endpoints
          WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL FOR UPDATE`,
        [id, accountId],
      );
      if (!current) return null;
      // A ciphertext is bound to its column, so the replaced secret is opened and sealed for its new one.
      const previous =
        previousSecretExpiresAt === null
          ? null
          : this.secrets.seal(
              'webhook_endpoints.previous_secret',
              this.secrets.open('webhook_endpoints.secret', String(current.secret)),
            );
      const rows = await queryRows(
        manager,
        `UPDATE webhook_endpoints
            SET secret = $2, previous_secret = $3, previous_secret_expires_at = $4, updated_at = now()
          WHERE id = $1 RETURNING *`,
        [
          id,
          this.secrets.seal('webhook_endpoints.secret', secret),
          previous,
          previous && previousSecretExpiresAt,
        ],
      );
      return this.toWebhookEndpoint(rows[0]!);
    });
  }

  /**
   * Erases every previous secret whose overlap has ended, deleted endpoints' included, so a
   * replaced secret is not kept once nothing signs with it (the dispatcher's housekeeping).
   *
   * @returns how many were erased.
   */
  async forgetExpiredPreviousSecrets(now: Date): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE webhook_endpoints SET previous_secret = NULL, previous_secret_expires_at = NULL
        WHERE previous_secret_expires_at <= $1 RETURNING id`,
      [now],
    );
    return rows.length;
  }

  /**
   * Soft-deletes the endpoint and gives up its pending deliveries.
   *
   * @returns false when there was no such endpoint of the account.
   */
  async softDelete(accountId: string, id: string): Promise<boolean> {
    const p = new SqlParameters();
    const rows = await queryRows(
      this.dataSource,
      `WITH target AS (
         UPDATE webhook_endpoints SET deleted_at = now(), updated_at = now()
         WHERE id = ${p.add(id)} AND account_id = ${p.add(accountId)} AND deleted_at IS NULL
         RETURNING id, enabled
       ), ${haltPendingDeliveries(ENDPOINT_DELETED_ERROR, p, false)}
       SELECT id FROM target`,
      p.values,
    );
    return rows.length > 0;
  }
}

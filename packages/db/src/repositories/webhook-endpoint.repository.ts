import type { WebhookEndpoint, WebhookEventType } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../secrets/secret-box';
import { queryRows } from './query-rows';
import { toWebhookEndpoint } from './row-mappers';
import { SqlParameters } from './sql-parameters';

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
    const rows = await queryRows(
      this.dataSource,
      `WITH target AS (
         UPDATE webhook_endpoints SET ${sets.join(', ')}
         WHERE id = ${p.add(id)} AND account_id = ${p.add(accountId)} AND deleted_at IS NULL
         RETURNING *
       ), ${haltPendingDeliveries(ENDPOINT_DISABLED_ERROR, p, true)}
       SELECT * FROM target`,
      p.values,
    );
    return rows[0] ? this.toWebhookEndpoint(rows[0]) : null;
  }

  /** Replaces the signing secret; the old one stops signing at once. */
  async rotateSecret(accountId: string, id: string, secret: string): Promise<WebhookEndpoint | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE webhook_endpoints SET secret = $3, updated_at = now()
       WHERE id = $1 AND account_id = $2 AND deleted_at IS NULL RETURNING *`,
      [id, accountId, this.secrets.seal('webhook_endpoints.secret', secret)],
    );
    return rows[0] ? this.toWebhookEndpoint(rows[0]) : null;
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

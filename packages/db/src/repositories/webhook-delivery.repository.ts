import type { WebhookDelivery, WebhookDeliveryAttempt, WebhookDeliveryStatus } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../secrets/secret-box';
import { EXACT_CREATED_AT, type PageCursor } from './page-cursor';
import { queryRows } from './query-rows';
import { toWebhookDelivery, toWebhookDeliveryAttempt } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { ENDPOINT_DELETED_ERROR, ENDPOINT_DISABLED_ERROR } from './webhook-endpoint.repository';

/** A delivery claimed for one POST, with what sending it needs from its endpoint. */
export interface ClaimedWebhookDelivery {
  readonly delivery: WebhookDelivery;
  readonly url: string;
  readonly secret: string;
}

/** What a finished POST leads to. */
export type WebhookDeliveryOutcome =
  | { readonly kind: 'delivered' }
  | { readonly kind: 'retry'; readonly lastError: string; readonly nextAttemptAt: Date }
  | { readonly kind: 'failed'; readonly lastError: string };

/** One POST of a claimed delivery and what it leads to. */
export interface WebhookAttemptRecord {
  readonly deliveryId: string;
  /** `attempts` as the claim left it: a failure is only recorded if no later claim happened. */
  readonly claimedAttempts: number;
  readonly attemptedAt: Date;
  /** When the POST ended; the time of delivery or failure. */
  readonly finishedAt: Date;
  readonly durationMs: number;
  /** The receiver's HTTP status, or null when no answer came. */
  readonly statusCode: number | null;
  /** Why no answer came (connection refused, timeout, refused address), else null. */
  readonly error: string | null;
  readonly outcome: WebhookDeliveryOutcome;
}

/**
 * A position in an endpoint's deliveries, newest first. `createdAt` is the timestamp at the
 * database's microsecond precision (ISO 8601 text), so no row of the same millisecond is skipped.
 */
/** Where a page of deliveries ends. */
export type WebhookDeliveryCursor = PageCursor;

export interface WebhookDeliveryFilter {
  readonly accountId: string;
  readonly endpointId: string;
  readonly status?: WebhookDeliveryStatus;
  readonly after?: WebhookDeliveryCursor;
  readonly limit: number;
}

export interface WebhookDeliveryPage {
  readonly deliveries: WebhookDelivery[];
  /** Where the next page starts, or null on the last page. */
  readonly next: WebhookDeliveryCursor | null;
}

/**
 * The durable queue of status webhooks (`webhook_deliveries`, filled in the same statement as each
 * message status change) and their attempt log.
 *
 * Workers claim due rows with `FOR UPDATE SKIP LOCKED` and take a lease by pushing `next_attempt_at`
 * forward: a worker that dies mid-POST leaves its rows due again once the lease runs out, so every
 * event is delivered at least once however many dispatchers run.
 */
export class WebhookDeliveryRepository {
  /** `secrets` decrypts the endpoint signing secrets claimed deliveries are signed with. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
  ) {}

  /**
   * Claims up to `limit` due deliveries for one POST each: counts the attempt and leases the row
   * until `now + leaseMs`. Due rows whose endpoint was disabled or deleted meanwhile (a status change
   * racing the change of endpoint) are given up instead.
   */
  async claimDue(limit: number, now: Date, leaseMs: number): Promise<ClaimedWebhookDelivery[]> {
    const rows = await queryRows(
      this.dataSource,
      `WITH due AS (
         SELECT delivery.id, endpoint.deleted_at IS NOT NULL AS deleted, endpoint.enabled
           FROM webhook_deliveries delivery
           JOIN webhook_endpoints endpoint ON endpoint.id = delivery.endpoint_id
          WHERE delivery.status = 'pending' AND delivery.next_attempt_at <= $1
          ORDER BY delivery.next_attempt_at
          LIMIT $2
          FOR UPDATE OF delivery SKIP LOCKED
       ), halted AS (
         UPDATE webhook_deliveries delivery
            SET status = 'failed', failed_at = $1,
                last_error = CASE WHEN due.deleted THEN $4 ELSE $5 END
           FROM due
          WHERE delivery.id = due.id AND (due.deleted OR NOT due.enabled)
       ), claimed AS (
         UPDATE webhook_deliveries delivery
            SET attempts = delivery.attempts + 1, next_attempt_at = $3
           FROM due
          WHERE delivery.id = due.id AND NOT due.deleted AND due.enabled
          RETURNING delivery.*
       )
       SELECT claimed.*, endpoint.url AS endpoint_url, endpoint.secret AS endpoint_secret
         FROM claimed JOIN webhook_endpoints endpoint ON endpoint.id = claimed.endpoint_id`,
      [now, limit, new Date(now.getTime() + leaseMs), ENDPOINT_DELETED_ERROR, ENDPOINT_DISABLED_ERROR],
    );
    return rows.map((row) => ({
      delivery: toWebhookDelivery(row),
      url: String(row.endpoint_url),
      secret: this.secrets.open('webhook_endpoints.secret', String(row.endpoint_secret)),
    }));
  }

  /**
   * Logs one POST and applies its outcome, in one statement. A success always counts, even if the
   * delivery was meanwhile given up: the receiver has it. A failure only counts while the row is
   * still this claim's — a worker whose lease ran out must not undo a later attempt's result.
   *
   * @returns the delivery as it now stands, or null when the outcome was not applied.
   */
  async recordAttempt(record: WebhookAttemptRecord): Promise<WebhookDelivery | null> {
    const p = new SqlParameters();
    const id = p.add(record.deliveryId);
    const statusCode = `${p.add(record.statusCode)}::integer`;
    const logged = `INSERT INTO webhook_delivery_attempts (delivery_id, attempted_at, duration_ms, status_code, error)
      VALUES (${id}, ${p.add(record.attemptedAt)}, ${p.add(Math.round(record.durationMs))}, ${statusCode},
              ${p.add(record.error)})`;
    const { outcome } = record;
    let update: string;
    if (outcome.kind === 'delivered') {
      update = `SET status = 'delivered', delivered_at = ${p.add(record.finishedAt)}, failed_at = NULL,
                    last_status_code = ${statusCode}, last_error = NULL
                WHERE id = ${id} AND status <> 'delivered'`;
    } else {
      const result = `last_status_code = ${statusCode}, last_error = ${p.add(outcome.lastError)}`;
      const change =
        outcome.kind === 'retry'
          ? `next_attempt_at = ${p.add(outcome.nextAttemptAt)}`
          : `status = 'failed', failed_at = ${p.add(record.finishedAt)}`;
      update = `SET ${change}, ${result}
                WHERE id = ${id} AND status = 'pending' AND attempts = ${p.add(record.claimedAttempts)}`;
    }
    const rows = await queryRows(
      this.dataSource,
      `WITH logged AS (${logged}), updated AS (UPDATE webhook_deliveries ${update} RETURNING *)
       SELECT * FROM updated`,
      p.values,
    );
    return rows[0] ? toWebhookDelivery(rows[0]) : null;
  }

  async findById(id: string): Promise<WebhookDelivery | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM webhook_deliveries WHERE id = $1', [id]);
    return rows[0] ? toWebhookDelivery(rows[0]) : null;
  }

  /** The delivery only if it belongs to the account: other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<WebhookDelivery | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM webhook_deliveries WHERE id = $1 AND account_id = $2',
      [id, accountId],
    );
    return rows[0] ? toWebhookDelivery(rows[0]) : null;
  }

  /** Every delivery of one message, oldest first (for tests and support). */
  async listForMessage(messageId: string): Promise<WebhookDelivery[]> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM webhook_deliveries WHERE message_id = $1 ORDER BY created_at, id',
      [messageId],
    );
    return rows.map(toWebhookDelivery);
  }

  /** One page of an endpoint's deliveries, newest first, served by the (endpoint, created_at, id) index. */
  async listForEndpoint(filter: WebhookDeliveryFilter): Promise<WebhookDeliveryPage> {
    const p = new SqlParameters();
    const conditions = [
      `account_id = ${p.add(filter.accountId)}`,
      `endpoint_id = ${p.add(filter.endpointId)}`,
    ];
    if (filter.status) conditions.push(`status = ${p.add(filter.status)}`);
    if (filter.after) {
      conditions.push(
        `(created_at, id) < (${p.add(filter.after.createdAt)}::timestamptz, ${p.add(filter.after.id)}::uuid)`,
      );
    }
    const rows = await queryRows(
      this.dataSource,
      `SELECT *, ${EXACT_CREATED_AT} AS cursor_created_at FROM webhook_deliveries
        WHERE ${conditions.join(' AND ')}
        ORDER BY created_at DESC, id DESC LIMIT ${p.add(filter.limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      deliveries: page.map(toWebhookDelivery),
      next:
        rows.length > filter.limit && last
          ? { createdAt: String(last.cursor_created_at), id: String(last.id) }
          : null,
    };
  }

  /** Every POST of a delivery, in order. */
  async listAttempts(deliveryId: string): Promise<WebhookDeliveryAttempt[]> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM webhook_delivery_attempts WHERE delivery_id = $1 ORDER BY id',
      [deliveryId],
    );
    return rows.map(toWebhookDeliveryAttempt);
  }

  /**
   * Makes a pending or failed delivery due now, keeping its attempt count and log.
   *
   * @returns the delivery, or null when it is not the account's or was delivered meanwhile.
   */
  async retryNow(accountId: string, id: string): Promise<WebhookDelivery | null> {
    const rows = await queryRows(
      this.dataSource,
      `UPDATE webhook_deliveries SET status = 'pending', next_attempt_at = now(), failed_at = NULL
        WHERE id = $1 AND account_id = $2 AND status IN ('pending', 'failed')
        RETURNING *`,
      [id, accountId],
    );
    return rows[0] ? toWebhookDelivery(rows[0]) : null;
  }
}

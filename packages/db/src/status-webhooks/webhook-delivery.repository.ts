import {
  DEFAULT_WEBHOOK_CIRCUIT_POLICY,
  type WebhookCircuitPolicy,
  type WebhookDelivery,
  type WebhookDeliveryAttempt,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { SecretBox } from '../secrets/secret-box';
import { EXACT_CREATED_AT, type PageCursor } from '../repositories/page-cursor';
import { queryRows } from '../repositories/query-rows';
import { toWebhookDelivery, toWebhookDeliveryAttempt, type Row } from '../repositories/row-mappers';
import { SqlParameters } from '../repositories/sql-parameters';
import { claimWebhookDeliveries } from './webhook-delivery-claim.sql';
import type { WebhookAttemptRecord } from './webhook-attempt-record';
import { recordDelivered, recordFailure, type WebhookHandOver } from './webhook-attempt.sql';
import { applyCircuitObservation } from './webhook-circuit.sql';

const TEST_EVENT: WebhookEventType = 'endpoint.test';
const TEST_EVENT_MESSAGE =
  'A test event from Telenexus: answer 2xx once the signature verifies. Nothing else happened.';

/** A delivery claimed for one POST, with what sending it needs from its endpoint. */
export interface ClaimedWebhookDelivery {
  readonly delivery: WebhookDelivery;
  readonly url: string;
  readonly secret: string;
  /** The secret the last rotation replaced, while its overlap lasts: it signs too. Absent or null: it does not. */
  readonly previousSecret?: string | null;
}

export type { WebhookAttemptRecord, WebhookDeliveryOutcome } from './webhook-attempt-record';

/** One POST recorded, and the endpoint's next delivery when a success handed its lease over. */
export interface RecordedWebhookAttempt {
  /** The delivery as it now stands, or null when the outcome was not applied. */
  readonly delivery: WebhookDelivery | null;
  readonly next: ClaimedWebhookDelivery | null;
}

/**
 * Where a page of deliveries ends: a position in an endpoint's deliveries, newest first. `createdAt`
 * is the timestamp at the database's microsecond precision (ISO 8601 text), so no row of the same
 * millisecond is skipped.
 */
export type WebhookDeliveryCursor = PageCursor;

export interface WebhookDeliveryFilter {
  readonly accountId: string;
  readonly endpointId: string;
  readonly status?: WebhookDeliveryStatus;
  readonly after?: WebhookDeliveryCursor;
  readonly limit: number;
}

/** Which of an endpoint's deliveries a replay sends again. */
export interface WebhookReplayWindow {
  readonly accountId: string;
  readonly endpointId: string;
  /** Deliveries created at or after this instant… */
  readonly since: Date;
  /** …and before this one. */
  readonly until: Date;
  /** Only events of these types; every type when null. */
  readonly types: readonly WebhookEventType[] | null;
  /** The most deliveries the window may hold: over it, nothing is replayed. */
  readonly maxDeliveries: number;
}

/** What a replay did: queued `count` events again, or nothing because the window held too many. */
export type WebhookReplayResult =
  { readonly kind: 'replayed'; readonly count: number } | { readonly kind: 'too_many' };

export interface WebhookDeliveryPage {
  readonly deliveries: WebhookDelivery[];
  /** Where the next page starts, or null on the last page. */
  readonly next: WebhookDeliveryCursor | null;
}

/** How the delivery worker's claims and outcomes treat endpoints (the dispatcher's configuration). */
export interface WebhookDeliveryQueueOptions {
  /** Deliveries of one endpoint in flight at most, across every dispatcher. Default 2. */
  readonly maxInFlightPerEndpoint?: number;
  /** The endpoints' circuit breaker. Default `DEFAULT_WEBHOOK_CIRCUIT_POLICY`. */
  readonly circuit?: WebhookCircuitPolicy;
}

export const DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT = 2;

/**
 * The durable queue of status webhooks (`webhook_deliveries`, filled in the same statement as each
 * message status change) and their attempt log.
 *
 * Workers claim due rows under a lock of their endpoint (`SKIP LOCKED`) and take a lease
 * (`leased_until`, with `next_attempt_at` pushed to the same time): a worker that dies mid-POST leaves
 * its rows due again once the lease runs out, so every event is delivered at least once however many
 * dispatchers run, and an endpoint's unexpired leases bound its deliveries in flight.
 */
export class WebhookDeliveryRepository {
  /** `secrets` decrypts the endpoint signing secrets claimed deliveries are signed with. */
  constructor(
    private readonly dataSource: DataSource,
    private readonly secrets: SecretBox,
    private readonly options: WebhookDeliveryQueueOptions = {},
  ) {}

  /**
   * Claims up to `limit` due deliveries for one POST each, at most `maxInFlightPerEndpoint` of an
   * endpoint in flight across every dispatcher and none of an endpoint whose circuit forbids it (see
   * `claimWebhookDeliveries`).
   */
  async claimDue(limit: number, now: Date, leaseMs: number): Promise<ClaimedWebhookDelivery[]> {
    const rows = await claimWebhookDeliveries(this.dataSource, {
      limit,
      now,
      leaseMs,
      maxInFlightPerEndpoint: this.options.maxInFlightPerEndpoint ?? DEFAULT_MAX_IN_FLIGHT_PER_ENDPOINT,
    });
    return rows.map((row) => this.toClaimed(row));
  }

  /**
   * Logs one POST and applies its outcome to the delivery and to its endpoint's breaker
   * (`applyCircuitObservation`). A success always counts, even if the delivery was meanwhile given up: the receiver has it. A
   * failure only counts while the row is still this claim's — a worker whose lease ran out must not
   * undo a later attempt's result. A delivery past its retry window waits instead of being given up
   * while its endpoint is down (the breaker decides for the endpoint).
   *
   * @returns the delivery as it now stands, or null when the outcome was not applied.
   */
  async recordAttempt(record: WebhookAttemptRecord): Promise<WebhookDelivery | null> {
    return (await this.recordAttemptAndTakeNext(record, null)).delivery;
  }

  /**
   * {@link recordAttempt}, and after a success at a clean endpoint (`handOver` given) the endpoint's
   * next due delivery, claimed in the same statement under the lease the success released: the
   * worker POSTs it next without a claim in between (see `recordDelivered`).
   */
  async recordAttemptAndTakeNext(
    record: WebhookAttemptRecord,
    handOver: WebhookHandOver | null,
  ): Promise<RecordedWebhookAttempt> {
    const { outcome } = record;
    const policy = this.options.circuit ?? DEFAULT_WEBHOOK_CIRCUIT_POLICY;
    const observation = {
      deliveryId: record.deliveryId,
      succeeded: outcome.kind === 'delivered',
      startedAt: record.attemptedAt,
      finishedAt: record.finishedAt,
      windowPassed: outcome.kind === 'failed',
    };
    if (outcome.kind === 'delivered') {
      // The hot path — a success at a healthy endpoint — is one statement; one that ends a failure
      // streak (or a probe that closes the circuit) goes through the breaker as well.
      const recorded = await recordDelivered(this.dataSource, record, handOver);
      if (!recorded.endpointWasClean) {
        await this.dataSource.transaction((manager) => applyCircuitObservation(manager, observation, policy));
      }
      return { delivery: recorded.delivery, next: recorded.next ? this.toClaimed(recorded.next) : null };
    }
    const delivery = await this.dataSource.transaction(async (manager) => {
      const verdict = await applyCircuitObservation(manager, observation, policy);
      return recordFailure(manager, record, verdict.waitUntil);
    });
    return { delivery, next: null };
  }

  /**
   * Writes an `endpoint.test` delivery for one endpoint of the account, whatever it subscribes to:
   * the delivery worker signs and POSTs it like any event, so the test proves the real path.
   *
   * @returns the delivery, or null when the account has no such endpoint.
   */
  async enqueueTest(accountId: string, endpointId: string): Promise<WebhookDelivery | null> {
    const rows = await queryRows(
      this.dataSource,
      `WITH event AS (SELECT gen_random_uuid() AS id, now() AS at)
       INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, message_id, payload)
       SELECT endpoint.id, endpoint.account_id, event.id, $3::text, NULL,
         json_build_object(
           'id', event.id,
           'type', $3::text,
           'created_at', to_char(event.at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"'),
           'data', json_build_object(
             'endpoint_id', endpoint.id,
             'url', endpoint.url,
             'message', $4::text))
       FROM webhook_endpoints endpoint, event
       WHERE endpoint.id = $1 AND endpoint.account_id = $2 AND endpoint.deleted_at IS NULL
       RETURNING *`,
      [endpointId, accountId, TEST_EVENT, TEST_EVENT_MESSAGE],
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

  /**
   * Queues again, as new pending deliveries, every event the endpoint was sent (or owed) in the
   * window — one per event id, whatever became of it — with the same event id, type and payload, so
   * receivers that dedupe on the event id recognise it. One statement: the window's deliveries are
   * found through `webhook_deliveries_endpoint_idx` (endpoint_id, created_at), at most
   * `maxDeliveries + 1` of them are taken, and over the bound nothing is inserted.
   */
  async replay(window: WebhookReplayWindow): Promise<WebhookReplayResult> {
    const rows = await queryRows(
      this.dataSource,
      `WITH addressed AS (
         SELECT id, event_id, event_type, message_id, payload, created_at
           FROM webhook_deliveries
          WHERE endpoint_id = $1 AND account_id = $2 AND created_at >= $3 AND created_at < $4
            AND ($5::text[] IS NULL OR event_type = ANY ($5::text[]))
          ORDER BY created_at, id
          LIMIT $6::integer + 1
       ), events AS (
         -- A window that holds an earlier replay has an event twice: it is queued once.
         SELECT DISTINCT ON (event_id) * FROM addressed ORDER BY event_id, created_at, id
       ), replayed AS (
         INSERT INTO webhook_deliveries (endpoint_id, account_id, event_id, event_type, message_id, payload)
         SELECT $1, $2, event_id, event_type, message_id, payload FROM events
          WHERE (SELECT count(*) FROM addressed) <= $6::integer
          ORDER BY created_at, id
         RETURNING id
       )
       SELECT (SELECT count(*) FROM addressed)::integer AS addressed,
              (SELECT count(*) FROM replayed)::integer AS replayed`,
      [window.endpointId, window.accountId, window.since, window.until, window.types, window.maxDeliveries],
    );
    const row = rows[0];
    if (Number(row?.addressed) > window.maxDeliveries) return { kind: 'too_many' };
    return { kind: 'replayed', count: Number(row?.replayed ?? 0) };
  }

  /** A claimed row (with its endpoint's columns) as the worker sends it; the secrets opened. */
  private toClaimed(row: Row): ClaimedWebhookDelivery {
    return {
      delivery: toWebhookDelivery(row),
      url: String(row.endpoint_url),
      secret: this.secrets.open('webhook_endpoints.secret', String(row.endpoint_secret)),
      previousSecret: this.secrets.openNullable(
        'webhook_endpoints.previous_secret',
        row.endpoint_previous_secret,
      ),
    };
  }
}

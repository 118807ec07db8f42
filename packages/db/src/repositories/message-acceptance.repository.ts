import {
  MESSAGE_TRANSITIONS,
  renderNotification,
  RESUBMITTABLE_STATUSES,
  SUPERSEDED_BY_CONFIRMATION,
  webhookEventForStatus,
  type Message,
  type MessageEventType,
  type MessageStatus,
  type MessageType,
  type WebhookEventType,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { BATCH_BY_STATUS_SQL, toBatchSummary } from './batch-query.repository';
import { statusList } from './message-transition.sql';
import type {
  AcceptanceResult,
  AcceptedMessage,
  AdmissionFacts,
  AdmissionQuery,
  OutgoingAcceptance,
} from './outgoing-acceptance';
import { queryRows } from './query-rows';
import { toMessage, type Row } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { announceReply } from './reply-announcement.sql';
import { announceStatusChange } from './status-announcement.sql';

const REPLY_EVENT: WebhookEventType = 'message.received';
/** Accepted notifications are announced only to endpoints that opt in (see OPT_IN_WEBHOOK_EVENT_TYPES). */
const QUEUED_EVENT: WebhookEventType = 'message.queued';

/** The timeline event linking a notification's resubmission and the message it follows. */
const RESUBMITTED_EVENT: MessageEventType = 'resubmitted';

/** A batch as `GET /billing/batches/:id` reports it. */
export interface BatchSummary {
  readonly id: string;
  readonly instanceId: string;
  readonly itemCount: number;
  readonly accepted: number;
  readonly rejected: number;
  /** How many of the messages this batch created are in each status now. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly createdAt: Date;
}

/** An outgoing billing notification, stored as is (no dedupe): for tools and tests. */
export interface NewOutgoingMessage {
  readonly accountId: string;
  readonly instanceId: string;
  readonly phoneNumber: string;
  readonly customerName: string;
  /** Decimal text, stored in `numeric` as is. */
  readonly amount: string;
  readonly currency: string;
  readonly invoiceId: string;
  readonly dueDate: string | null;
  readonly messageType: MessageType;
  readonly expiresAt?: Date | null;
}

/** A customer's message to the ISP's number, as Evolution reported it. */
export interface NewIncomingMessage {
  readonly accountId: string;
  readonly instanceId: string;
  readonly phoneNumber: string;
  readonly senderName: string | null;
  readonly text: string | null;
  readonly providerMessageId: string;
}

/** Storing what comes in: billing systems' notifications (one or a batch) and customers' replies. */
export class MessageAcceptanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a send request — one notification or a whole batch — in one statement: the batch row,
   * each new message as `queued` with its `accepted` event, and, for each confirmation, the
   * cancellation of the invoice's reminders: those still queued from before, and those of this very
   * request (stored already `canceled`). Every cancellation is announced (`message.canceled`) to
   * the account's subscribed webhook endpoints in the same statement, and so is each message queued
   * (`message.queued`) to the endpoints that opted in to it.
   *
   * Items matching a message accepted within the dedupe window are not stored again; they come back
   * under `existing`. Unless that message ended unsent (RESUBMITTABLE_STATUSES): then the item is a
   * new message, and both timelines get a `resubmitted` event naming the other.
   *
   * The dedupe row is claimed with an upsert, which sees rows other transactions committed since
   * this statement began: two identical requests at the same moment store one message.
   */
  async acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult> {
    const input = request.items.map((item) => ({
      idx: item.index,
      dedupe_key: item.dedupeKey.toString('hex'),
      phone_number: item.phoneNumber,
      customer_name: item.customerName,
      amount: item.amount,
      currency: item.currency,
      invoice_id: item.invoiceId,
      due_date: item.dueDate,
      message_type: item.messageType,
      body: item.text,
      expires_at: item.expiresAt?.toISOString() ?? null,
      // Only paced instances reserve at accept: the others' input stays as small as it was.
      ...(item.reservedSlot
        ? {
            next_attempt_at: item.reservedSlot.at.toISOString(),
            scheduled_detail: item.reservedSlot.scheduledDetail,
          }
        : {}),
    }));
    const scheduling = request.items.some((item) => item.reservedSlot?.scheduledDetail);
    const deduping = request.dedupeWindowMs > 0;
    // Only a confirmation supersedes anything; without one those steps (and their scan) are left out.
    const confirmations = [
      ...new Set(
        request.items.filter((item) => item.messageType === 'confirmation').map((item) => item.invoiceId),
      ),
    ];
    const superseding = confirmations.length > 0;
    const { accept, supersede, schedule } = MESSAGE_TRANSITIONS;
    const p = new SqlParameters();
    const account = p.add(request.accountId);
    const instance = p.add(request.instanceId);
    const queued = p.add(accept.to);
    const canceled = p.add(supersede.to);
    const queuedEvent = p.add(QUEUED_EVENT);
    // Only what the statement uses becomes a parameter: Postgres cannot type one it never sees.
    const ended = deduping ? p.add(RESUBMITTABLE_STATUSES) : '';
    // With dedupe off a request may hold the same notification twice: match claims by position.
    const matchClaim = deduping ? 'USING (dedupe_key)' : 'ON claimed.idx = input.idx';
    const supersededTypes = p.add(SUPERSEDED_BY_CONFIRMATION);
    const confirmationInvoices = p.add(confirmations);
    const rows = await queryRows(
      this.dataSource,
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset(${p.add(JSON.stringify(input))}::jsonb) AS x(
           idx int, dedupe_key text, phone_number text, customer_name text, amount numeric, currency text,
           invoice_id text, due_date date, message_type text, body text, expires_at timestamptz,
           next_attempt_at timestamptz, scheduled_detail text)
       ), batch AS (
         INSERT INTO batches (account_id, instance_id, item_count, accepted, rejected)
         SELECT ${account}, ${instance}, ${p.add(request.batch?.itemCount ?? 0)}::int, 0,
                ${p.add(request.batch?.rejected ?? 0)}::int
         WHERE ${p.add(request.batch !== undefined)}::boolean
         RETURNING id
       ), ${
         deduping
           ? `live AS (
         -- What each key stood for when the statement began: the message a resubmission follows.
         -- The request's keys are looked up by primary key, and only then checked for expiry: the
         -- planner cannot see how few keys the input holds and, offered the expiry, may scan every
         -- live key by expiry instead (OFFSET 0 keeps that condition out of the lookup). Each key's
         -- message is looked up by its id, one row at a time: as a join, a plan prepared while
         -- messages was small scans the whole table for the statuses asked of it, on every send.
         SELECT * FROM (
           SELECT encode(d.key, 'hex') AS dedupe_key, d.message_id,
                  (SELECT m.status FROM messages m WHERE m.id = d.message_id) AS status
           FROM (SELECT * FROM dedupe_keys WHERE key = ANY(ARRAY(SELECT decode(dedupe_key, 'hex') FROM input))
                 OFFSET 0) d
           WHERE d.expires_at >= now()
         ) keyed
         WHERE status IS NOT NULL
       ), claimed AS (
         INSERT INTO dedupe_keys (key, message_id, expires_at)
         SELECT decode(dedupe_key, 'hex'), gen_random_uuid(),
                now() + (${p.add(request.dedupeWindowMs)}::bigint * interval '1 millisecond')
         FROM input
         ON CONFLICT (key) DO UPDATE SET message_id = EXCLUDED.message_id, expires_at = EXCLUDED.expires_at
           -- The earlier message by its id (as a semi-join, a plan prepared on a small table hashes
           -- every ended message of the table instead).
           WHERE dedupe_keys.expires_at < now()
              OR (SELECT ended.status FROM messages ended WHERE ended.id = dedupe_keys.message_id)
                   = ANY(${ended}::text[])
         RETURNING encode(key, 'hex') AS dedupe_key, message_id
       )`
           : `claimed AS (SELECT idx, dedupe_key, gen_random_uuid() AS message_id FROM input)`
       }, inserted AS (
         -- A reminder of an invoice this request also confirms is canceled as it is stored: it never queues.
         INSERT INTO messages (id, account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, due_date, message_type, body, status, expires_at, batch_id,
                               next_attempt_at)
         SELECT claimed.message_id, ${account}, ${instance}, 'outgoing', input.phone_number, input.customer_name,
                input.amount, input.currency, input.invoice_id, input.due_date, input.message_type, input.body,
                CASE WHEN input.message_type = ANY(${supersededTypes}::text[])
                      AND input.invoice_id = ANY(${confirmationInvoices}::text[])
                     THEN ${canceled} ELSE ${queued} END,
                input.expires_at, (SELECT id FROM batch), input.next_attempt_at
         FROM input JOIN claimed ${matchClaim}
         RETURNING *
       ), queued_message AS (
         -- Opt-in: when no endpoint of the account names the event, one probe of its endpoints is all it costs.
         SELECT * FROM inserted WHERE status = ${queued} AND EXISTS (
           SELECT 1 FROM webhook_endpoints endpoint
           WHERE endpoint.account_id = ${account} AND endpoint.enabled AND endpoint.deleted_at IS NULL
             AND ${queuedEvent}::text = ANY(endpoint.events))
       ), ${announceStatusChange(queuedEvent, 'queued_message', 'queued_announced')}${
         superseding
           ? `, request_confirmation AS (
         -- Per invoice, the confirmation this request carries: stored now (first), or accepted before.
         SELECT DISTINCT ON (input.invoice_id) input.invoice_id, coalesce(inserted.id, ${deduping ? 'live.message_id' : 'NULL::uuid'}) AS id
         FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id
         ${deduping ? 'LEFT JOIN live ON live.dedupe_key = input.dedupe_key' : ''}
         WHERE input.message_type = 'confirmation'
         ORDER BY input.invoice_id, inserted.id IS NULL, input.idx
       ), superseded AS (
         UPDATE messages earlier SET status = ${canceled}, updated_at = now(), next_attempt_at = NULL
         FROM inserted confirmation
         WHERE confirmation.message_type = 'confirmation'
           AND earlier.account_id = ${account} AND earlier.instance_id = ${instance}
           AND earlier.status = ANY(${p.add(supersede.from)}::text[])
           AND earlier.invoice_id = ANY(${confirmationInvoices}::text[]) AND earlier.invoice_id = confirmation.invoice_id
           AND earlier.message_type = ANY(${supersededTypes}::text[])
         RETURNING earlier.*
       ), changed AS (
         SELECT * FROM superseded
         UNION ALL
         SELECT * FROM inserted WHERE status = ${canceled}
       ), ${announceStatusChange(p.add(webhookEventForStatus(supersede.to) ?? null))}`
           : ''
       }${
         deduping
           ? `, resubmitted AS (
         SELECT inserted.id, live.message_id AS earlier_id, live.status AS earlier_status
         FROM inserted JOIN claimed ON claimed.message_id = inserted.id JOIN live USING (dedupe_key)
         WHERE live.status = ANY(${ended}::text[])
       )`
           : ''
       }, logged AS (
         -- One insert, in timeline order: each message's events get ascending ids.
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT message_id, type, status, detail FROM (
           SELECT id AS message_id, 1 AS step, ${p.add(accept.event)}::text AS type, ${queued}::text AS status,
                  NULL::text AS detail
           FROM inserted${
             deduping
               ? `
           UNION ALL
           SELECT id, 2, ${p.add(RESUBMITTED_EVENT)}, NULL,
                  'Resubmission of message ' || earlier_id || ', which ended ' || earlier_status
           FROM resubmitted
           UNION ALL
           SELECT earlier_id, 2, ${p.add(RESUBMITTED_EVENT)}, NULL, 'Resubmitted as message ' || id
           FROM resubmitted`
               : ''
           }${
             superseding
               ? `
           UNION ALL
           SELECT inserted.id, 3, ${p.add(supersede.event)}, ${canceled},
                  'Superseded by payment confirmation ' || request_confirmation.id
           FROM inserted JOIN request_confirmation USING (invoice_id)
           WHERE inserted.status = ${canceled}
           UNION ALL
           SELECT superseded.id, 3, ${p.add(supersede.event)}, ${canceled},
                  'Superseded by payment confirmation ' || request_confirmation.id
           FROM superseded JOIN request_confirmation USING (invoice_id)`
               : ''
           }${
             scheduling
               ? `
           UNION ALL
           SELECT inserted.id, 4, ${p.add(schedule.event)}, ${queued}, input.scheduled_detail
           FROM input JOIN claimed ${matchClaim} JOIN inserted ON inserted.id = claimed.message_id
           WHERE input.scheduled_detail IS NOT NULL AND inserted.status = ${queued}`
               : ''
           }
         ) events
         ORDER BY step, message_id
       )
       -- Only what the caller needs of each new message: parsing whole rows cost more than storing them.
       SELECT input.idx, inserted.id, inserted.status, (SELECT id FROM batch) AS new_batch_id,
              ${superseding ? "(SELECT coalesce(array_agg(id), '{}') FROM superseded)" : "'{}'::uuid[]"} AS superseded_ids
       FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id`,
      p.values,
      // Planning this statement costs about as much as running it; its text takes a few shapes.
      { prepare: true },
    );
    return this.collectAcceptance(request, rows);
  }

  /**
   * What a send request is admitted against, in one statement: the account's queued messages
   * (counted up to the limit on the partial index of queued messages, led by the account), the
   * instance's messages still waiting for a send slot, and which of the request's notifications an
   * earlier message still stands for.
   */
  async readAdmission(query: AdmissionQuery): Promise<AdmissionFacts> {
    const p = new SqlParameters();
    const queuedStatus = statusList([MESSAGE_TRANSITIONS.accept.to]);
    const accountQueued =
      query.countQueuedUpTo > 0
        ? `(SELECT count(*) FROM (
             SELECT 1 FROM messages WHERE account_id = ${p.add(query.accountId)} AND status = ${queuedStatus}
             LIMIT ${p.add(query.countQueuedUpTo)}) queued)::int`
        : '0';
    // A scheduled message holds its slot, which the pacer's next free slot already counts; one not yet
    // placed, or held while its number was away (it sleeps until a recheck), takes a slot before
    // anything accepted now. Each count has its partial index.
    const instance = query.countBacklog ? p.add(query.instanceId) : '';
    const backlog = query.countBacklog
      ? `((SELECT count(*) FROM messages
            WHERE instance_id = ${instance} AND status = ${queuedStatus} AND next_attempt_at IS NULL)
          + (SELECT count(*) FROM messages
            WHERE instance_id = ${instance} AND held_at IS NOT NULL AND status = ${queuedStatus}
              AND next_attempt_at IS NOT NULL))::int`
      : '0';
    const replayed =
      query.dedupeKeys.length > 0
        ? // By primary key, then expiry: offered both, the planner may scan every live key by expiry.
          // Each key's message by its id, one at a time (see acceptOutgoing's `live`).
          `ARRAY(SELECT encode(d.key, 'hex')
             FROM (SELECT * FROM dedupe_keys WHERE key = ANY(${p.add(query.dedupeKeys)}::bytea[]) OFFSET 0) d
             WHERE d.expires_at >= now()
               AND (SELECT m.status FROM messages m WHERE m.id = d.message_id)
                   <> ALL(${p.add(RESUBMITTABLE_STATUSES)}::text[]))`
        : `ARRAY[]::text[]`;
    const rows = await queryRows(
      this.dataSource,
      `SELECT ${accountQueued} AS account_queued, ${backlog} AS backlog, ${replayed} AS replayed_keys`,
      p.values,
      // Not prepared: a generic plan, made while the tables were small, counts through another
      // partial index of queued messages (the sweeper's), so reads every queued message of the
      // table each time (20,230 buffers with 20,000 queued). Planned each time, each count reads
      // its own index; planning costs a few tenths of a millisecond.
    );
    const row = rows[0];
    return {
      accountQueued: Number(row?.account_queued ?? 0),
      backlog: Number(row?.backlog ?? 0),
      replayedKeys: new Set((row?.replayed_keys as string[] | undefined) ?? []),
    };
  }

  /**
   * Writes one message as `queued` (no dedupe, no batch), its text rendered as ingress renders it:
   * for tools and tests that need a message.
   */
  async insertOutgoing(message: NewOutgoingMessage): Promise<Message> {
    const item = {
      ...message,
      index: 0,
      text: renderNotification(message),
      expiresAt: message.expiresAt ?? null,
      dedupeKey: Buffer.alloc(32),
    };
    const result = await this.acceptOutgoing({
      accountId: message.accountId,
      instanceId: message.instanceId,
      dedupeWindowMs: 0,
      items: [item],
    });
    const rows = await queryRows(this.dataSource, 'SELECT * FROM messages WHERE id = $1', [
      result.created.get(0)!.id,
    ]);
    return toMessage(rows[0]!);
  }

  /** Sets the batch's accepted and rejected counts once dedupe conflicts are known. */
  async recordBatchCounts(batchId: string, accepted: number, rejected: number): Promise<void> {
    await queryRows(this.dataSource, 'UPDATE batches SET accepted = $2, rejected = $3 WHERE id = $1', [
      batchId,
      accepted,
      rejected,
    ]);
  }

  /** A batch of the account with its counts and how many of its messages are in each status. */
  async findBatch(accountId: string, batchId: string): Promise<BatchSummary | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT b.*, ${BATCH_BY_STATUS_SQL} FROM batches b WHERE b.id = $1 AND b.account_id = $2`,
      [batchId, accountId],
    );
    return rows[0] ? toBatchSummary(rows[0]) : null;
  }

  private async collectAcceptance(request: OutgoingAcceptance, rows: Row[]): Promise<AcceptanceResult> {
    const created = new Map<number, AcceptedMessage>();
    const unclaimed: number[] = [];
    let batchId: string | null = null;
    const supersededIds = Array.isArray(rows[0]?.superseded_ids) ? (rows[0].superseded_ids as string[]) : [];
    for (const row of rows) {
      batchId ??= typeof row.new_batch_id === 'string' ? row.new_batch_id : null;
      if (row.id === null) unclaimed.push(Number(row.idx));
      else created.set(Number(row.idx), { id: row.id as string, status: row.status as MessageStatus });
    }
    const existing = new Map<number, Message>();
    if (unclaimed.length > 0) {
      // A separate statement: the rows other requests committed are visible here.
      const byIndex = new Map(request.items.map((item) => [item.index, item.dedupeKey.toString('hex')]));
      const found = await queryRows(
        this.dataSource,
        `SELECT encode(d.key, 'hex') AS dedupe_key, m.* FROM dedupe_keys d JOIN messages m ON m.id = d.message_id
         WHERE d.key = ANY($1::bytea[])`,
        [unclaimed.map((index) => Buffer.from(byIndex.get(index)!, 'hex'))],
      );
      const byKey = new Map(found.map((row) => [String(row.dedupe_key), toMessage(row)]));
      for (const index of unclaimed) {
        const message = byKey.get(byIndex.get(index)!);
        if (message) existing.set(index, message);
      }
    }
    return { batchId, created, existing, supersededIds };
  }

  /**
   * Stores a customer's message once: Evolution may post the same `messages.upsert` twice. Each
   * message stored is announced (`message.received`) to the account's subscribed endpoints in the
   * same statement; a repeat stores and announces nothing.
   *
   * @returns the stored message, or null when it was already stored.
   */
  async insertIncoming(message: NewIncomingMessage): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      `WITH inserted AS (
         INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, body, status,
                               provider_message_id)
         VALUES ($1, $2, 'incoming', $3, $4, $5, $7, $6)
         ON CONFLICT (instance_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, $8, $7 FROM inserted
       ), ${announceReply('$9')}
       SELECT * FROM inserted`,
      [
        message.accountId,
        message.instanceId,
        message.phoneNumber,
        message.senderName,
        message.text,
        message.providerMessageId,
        MESSAGE_TRANSITIONS.receive.to,
        MESSAGE_TRANSITIONS.receive.event,
        REPLY_EVENT,
      ],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }
}

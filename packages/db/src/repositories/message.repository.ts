import {
  RECEIPT_SOURCES,
  webhookEventForStatus,
  type Message,
  type MessageEvent,
  type MessageEventType,
  type MessageStatus,
  type MessageType,
  type ReceiptStatus,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { MessageCursor, MessageFilter } from './message-filter';
import { EXACT_CREATED_AT } from './page-cursor';
import { queryRows } from './query-rows';
import type { AcceptanceResult, OutgoingAcceptance } from './outgoing-acceptance';
import { toMessage, toMessageEvent, type Row } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { announceStatusChange } from './status-announcement.sql';

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

/** A position in the sweeper's walk over stalled queued messages. */
export interface StalledCursor {
  readonly id: string;
  readonly updatedAt: Date;
}

/** Which message a transition applies to. */
type Target =
  | { readonly id: string }
  | { readonly instanceId: string; readonly providerMessageId: string }
  | { readonly instanceId: string; readonly unconfirmedPhoneNumber: string; readonly body: string };

interface Transition {
  readonly from: readonly MessageStatus[];
  readonly to: MessageStatus;
  readonly event: MessageEventType;
  readonly detail: string | null;
  /** Further assignments; each value becomes a parameter. `now()` and column expressions go in `sql`. */
  readonly set?: (parameters: SqlParameters) => string;
}

const RECEIPT_TIMESTAMPS: Readonly<Record<ReceiptStatus, string>> = {
  sent: 'sent_at = coalesce(sent_at, now())',
  delivered: 'sent_at = coalesce(sent_at, now()), delivered_at = coalesce(delivered_at, now())',
  read: 'sent_at = coalesce(sent_at, now()), delivered_at = coalesce(delivered_at, now()), read_at = coalesce(read_at, now())',
  failed: 'failed_at = now()',
};

/**
 * Messages and their timelines. Every status change is a compare-and-set on the current status that
 * appends its event and queues the billing system's status webhooks in the same statement, so
 * concurrent workers cannot both win a transition, the timeline never misses a change, and no
 * announcement is lost or sent for a change that did not commit.
 */
export class MessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a send request — one notification or a whole batch — in one statement: the batch row,
   * each new message as `queued` with its `accepted` event, and, for each confirmation, the
   * cancellation of the invoice's reminders still queued. Items matching a message accepted within
   * the dedupe window are not stored again; they come back under `existing`.
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
      expires_at: item.expiresAt?.toISOString() ?? null,
    }));
    const deduping = request.dedupeWindowMs > 0;
    // Only a confirmation supersedes anything; without one the step (and its scan) is left out.
    const confirmations = [
      ...new Set(
        request.items.filter((item) => item.messageType === 'confirmation').map((item) => item.invoiceId),
      ),
    ];
    // With dedupe off a request may hold the same notification twice: match claims by position.
    const matchClaim = deduping ? 'USING (dedupe_key)' : 'ON claimed.idx = input.idx';
    const rows = await queryRows(
      this.dataSource,
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           idx int, dedupe_key text, phone_number text, customer_name text, amount numeric, currency text,
           invoice_id text, due_date date, message_type text, expires_at timestamptz)
       ), batch AS (
         INSERT INTO batches (account_id, instance_id, item_count, accepted, rejected)
         SELECT $2, $3, $5::int, 0, $6::int WHERE $4::boolean
         RETURNING id
       ), claimed AS (
         ${
           deduping
             ? `INSERT INTO dedupe_keys (key, message_id, expires_at)
                SELECT decode(dedupe_key, 'hex'), gen_random_uuid(), now() + ($7::bigint * interval '1 millisecond')
                FROM input
                ON CONFLICT (key) DO UPDATE SET message_id = EXCLUDED.message_id, expires_at = EXCLUDED.expires_at
                  WHERE dedupe_keys.expires_at < now()
                RETURNING encode(key, 'hex') AS dedupe_key, message_id`
             : `SELECT idx, dedupe_key, gen_random_uuid() AS message_id FROM input WHERE $7::bigint = 0`
         }
       ), inserted AS (
         INSERT INTO messages (id, account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, due_date, message_type, status, expires_at, batch_id)
         SELECT claimed.message_id, $2, $3, 'outgoing', input.phone_number, input.customer_name, input.amount,
                input.currency, input.invoice_id, input.due_date, input.message_type, 'queued', input.expires_at,
                (SELECT id FROM batch)
         FROM input JOIN claimed ${matchClaim}
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, 'accepted', 'queued' FROM inserted
       )${
         confirmations.length > 0
           ? `, superseded AS (
         UPDATE messages earlier SET status = 'canceled', updated_at = now(), next_attempt_at = NULL
         FROM inserted confirmation
         WHERE confirmation.message_type = 'confirmation'
           AND earlier.account_id = $2 AND earlier.instance_id = $3 AND earlier.status = 'queued'
           AND earlier.invoice_id = ANY($8::text[]) AND earlier.invoice_id = confirmation.invoice_id
           AND earlier.message_type IN ('payment_reminder', 'invoice', 'overdue')
         RETURNING earlier.id, confirmation.id AS confirmation_id
       ), superseded_logged AS (
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT id, 'canceled', 'canceled', 'Superseded by payment confirmation ' || confirmation_id FROM superseded
       )`
           : ''
       }
       SELECT input.idx, inserted.*, (SELECT id FROM batch) AS new_batch_id
       FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id`,
      [
        JSON.stringify(input),
        request.accountId,
        request.instanceId,
        request.batch !== undefined,
        request.batch?.itemCount ?? 0,
        request.batch?.rejected ?? 0,
        deduping ? request.dedupeWindowMs : 0,
        ...(confirmations.length > 0 ? [confirmations] : []),
      ],
    );
    return this.collectAcceptance(request, rows);
  }

  /** Writes one message as `queued` (no dedupe, no batch): for tools and tests that need a message. */
  async insertOutgoing(message: NewOutgoingMessage): Promise<Message> {
    const result = await this.acceptOutgoing({
      accountId: message.accountId,
      instanceId: message.instanceId,
      dedupeWindowMs: 0,
      items: [{ ...message, index: 0, expiresAt: message.expiresAt ?? null, dedupeKey: Buffer.alloc(32) }],
    });
    return result.created.get(0)!;
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
      `SELECT b.*, coalesce((SELECT json_object_agg(status, n) FROM (
           SELECT status, count(*)::int AS n FROM messages WHERE batch_id = b.id GROUP BY status) s), '{}') AS by_status
       FROM batches b WHERE b.id = $1 AND b.account_id = $2`,
      [batchId, accountId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: String(row.id),
      instanceId: String(row.instance_id),
      itemCount: Number(row.item_count),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      byStatus: row.by_status as Record<string, number>,
      createdAt: row.created_at as Date,
    };
  }

  private async collectAcceptance(request: OutgoingAcceptance, rows: Row[]): Promise<AcceptanceResult> {
    const created = new Map<number, Message>();
    const unclaimed: number[] = [];
    let batchId: string | null = null;
    for (const row of rows) {
      batchId ??= typeof row.new_batch_id === 'string' ? row.new_batch_id : null;
      if (row.id === null) unclaimed.push(Number(row.idx));
      else created.set(Number(row.idx), toMessage(row));
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
    return { batchId, created, existing };
  }

  /**
   * Stores a customer's message once: Evolution may post the same `messages.upsert` twice.
   *
   * @returns the stored message, or null when it was already stored.
   */
  async insertIncoming(message: NewIncomingMessage): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      `WITH inserted AS (
         INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, body, status,
                               provider_message_id)
         VALUES ($1, $2, 'incoming', $3, $4, $5, 'received', $6)
         ON CONFLICT (instance_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, 'received', 'received' FROM inserted
       )
       SELECT * FROM inserted`,
      [
        message.accountId,
        message.instanceId,
        message.phoneNumber,
        message.senderName,
        message.text,
        message.providerMessageId,
      ],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  async findById(id: string): Promise<Message | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM messages WHERE id = $1', [id]);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /** The message only if it belongs to the account: other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM messages WHERE id = $1 AND account_id = $2',
      [id, accountId],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  async existsByProviderId(instanceId: string, providerMessageId: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT 1 FROM messages WHERE instance_id = $1 AND provider_message_id = $2',
      [instanceId, providerMessageId],
    );
    return rows.length > 0;
  }

  /**
   * One page of an instance's messages, newest first. Each filter is served by an index led by the
   * instance and ending in the page order, so pages stay fast however many rows there are.
   *
   * @returns up to `limit` messages and whether more follow.
   */
  async list(filter: MessageFilter): Promise<{ messages: Message[]; next: MessageCursor | null }> {
    const parameters = new SqlParameters();
    const conditions = [
      `account_id = ${parameters.add(filter.accountId)}`,
      `instance_id = ${parameters.add(filter.instanceId)}`,
      `direction = ANY(${parameters.add(filter.visibleDirections)}::text[])`,
    ];
    if (filter.direction) conditions.push(`direction = ${parameters.add(filter.direction)}`);
    if (filter.status) conditions.push(`status = ${parameters.add(filter.status)}`);
    if (filter.messageType) conditions.push(`message_type = ${parameters.add(filter.messageType)}`);
    if (filter.invoiceId) conditions.push(`invoice_id = ${parameters.add(filter.invoiceId)}`);
    if (filter.phoneNumber) conditions.push(`phone_number = ${parameters.add(filter.phoneNumber)}`);
    if (filter.from) conditions.push(`created_at >= ${parameters.add(filter.from)}`);
    if (filter.to) conditions.push(`created_at < ${parameters.add(filter.to)}`);
    if (filter.after) {
      conditions.push(
        `(created_at, id) < (${parameters.add(filter.after.createdAt)}::timestamptz, ${parameters.add(filter.after.id)}::uuid)`,
      );
    }
    const rows = await queryRows(
      this.dataSource,
      `SELECT *, ${EXACT_CREATED_AT} AS cursor_created_at FROM messages WHERE ${conditions.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${parameters.add(filter.limit + 1)}`,
      parameters.values,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      messages: page.map(toMessage),
      next:
        rows.length > filter.limit && last
          ? { createdAt: String(last.cursor_created_at), id: String(last.id) }
          : null,
    };
  }

  async listEvents(messageId: string): Promise<MessageEvent[]> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM message_events WHERE message_id = $1 ORDER BY id',
      [messageId],
    );
    return rows.map(toMessageEvent);
  }

  /**
   * Claims a queued message for one send attempt (`queued → sending`) and stores the text about to
   * be sent. Returns null when another worker, an earlier run of the same job, or a cancellation got
   * there first: the caller must then not call Evolution.
   */
  claimForSending(id: string, body: string): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['queued'],
        to: 'sending',
        event: 'claimed',
        detail: null,
        set: (p) => `attempts = attempts + 1, body = ${p.add(body)}, next_attempt_at = NULL`,
      },
    );
  }

  /**
   * Records when a queued message will be tried (its paced slot, or the end of quiet hours), so the
   * timeline shows why it waits and the sweeper leaves it alone until then.
   */
  scheduleFor(id: string, at: Date, reason: string): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['queued'],
        to: 'queued',
        event: 'scheduled',
        detail: `${reason}; sends at ${at.toISOString()}`,
        set: (p) => `next_attempt_at = ${p.add(at)}`,
      },
    );
  }

  /** The message could only go out after its deadline, so it never will. */
  markExpired(id: string, reason: string): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['queued'],
        to: 'expired',
        event: 'expired',
        detail: reason,
        set: (p) => `last_error = ${p.add(reason)}, next_attempt_at = NULL`,
      },
    );
  }

  /** Evolution accepted the message (201). */
  markSent(id: string, providerMessageId: string): Promise<Message | null> {
    return this.transition(
      { id },
      sentTransition(providerMessageId, `Evolution message id ${providerMessageId}`),
    );
  }

  /**
   * A `send.message` webhook shows Evolution sent a message whose answer we never got: the newest
   * unconfirmed message to that number with exactly that text is the one.
   */
  confirmSendByContent(
    instanceId: string,
    phoneNumber: string,
    body: string,
    providerMessageId: string,
  ): Promise<Message | null> {
    return this.transition(
      { instanceId, unconfirmedPhoneNumber: phoneNumber, body },
      sentTransition(providerMessageId, `Evolution confirmed the send (message id ${providerMessageId})`),
    );
  }

  /** A transient failure: back to `queued` until BullMQ runs the job again at `nextAttemptAt`. */
  scheduleRetry(id: string, error: string, nextAttemptAt: Date): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['sending'],
        to: 'queued',
        event: 'retry_scheduled',
        detail: `${error}; next attempt at ${nextAttemptAt.toISOString()}`,
        set: (p) => `last_error = ${p.add(error)}, next_attempt_at = ${p.add(nextAttemptAt)}`,
      },
    );
  }

  /** A permanent failure, or retries exhausted. */
  markFailed(id: string, error: string): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['queued', 'sending'],
        to: 'failed',
        event: 'failed',
        detail: error,
        set: (p) => `last_error = ${p.add(error)}, failed_at = now(), next_attempt_at = NULL`,
      },
    );
  }

  /**
   * The send may or may not have reached WhatsApp (timeout or reset after the request was written).
   * `unknown` is never claimed again, so it is not blindly resent; a receipt or a reconciliation
   * settles it.
   */
  markUnknown(id: string, reason: string): Promise<Message | null> {
    return this.transition(
      { id },
      {
        from: ['sending'],
        to: 'unknown',
        event: 'ambiguous',
        detail: reason,
        set: (p) => `last_error = ${p.add(reason)}`,
      },
    );
  }

  /**
   * Applies a WhatsApp receipt to the message Evolution knows by `providerMessageId`, forward only.
   *
   * @returns the message when it changed; null when the receipt was a duplicate, out of order, or
   *   for a message we do not (yet) know.
   */
  applyReceipt(
    instanceId: string,
    providerMessageId: string,
    receipt: ReceiptStatus,
    evolutionStatus: string,
  ): Promise<Message | null> {
    const error = `WhatsApp reported an error (${evolutionStatus})`;
    return this.transition(
      { instanceId, providerMessageId },
      {
        from: RECEIPT_SOURCES[receipt],
        to: receipt,
        event: 'receipt',
        detail: `WhatsApp reported ${evolutionStatus}`,
        set: (p) =>
          receipt === 'failed'
            ? `${RECEIPT_TIMESTAMPS.failed}, last_error = ${p.add(error)}`
            : RECEIPT_TIMESTAMPS[receipt],
      },
    );
  }

  /** Keeps a receipt that arrived before its send was recorded, to apply once it is. */
  async addPendingReceipt(
    instanceId: string,
    providerMessageId: string,
    receipt: ReceiptStatus,
  ): Promise<void> {
    await queryRows(
      this.dataSource,
      'INSERT INTO pending_receipts (instance_id, provider_message_id, status) VALUES ($1, $2, $3)',
      [instanceId, providerMessageId, receipt],
    );
  }

  /** Removes and returns the receipts waiting for a message, oldest first. */
  async takePendingReceipts(instanceId: string, providerMessageId: string): Promise<ReceiptStatus[]> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM pending_receipts WHERE instance_id = $1 AND provider_message_id = $2 RETURNING id, status`,
      [instanceId, providerMessageId],
    );
    return rows.sort((a, b) => Number(a.id) - Number(b.id)).map((row) => row.status as ReceiptStatus);
  }

  /**
   * Applies, in arrival order, the receipts that came before the message's Evolution id was known
   * (WhatsApp can acknowledge before our write of the send lands).
   */
  async applyPendingReceipts(instanceId: string, providerMessageId: string): Promise<number> {
    const receipts = await this.takePendingReceipts(instanceId, providerMessageId);
    let applied = 0;
    for (const receipt of receipts) {
      if (
        await this.applyReceipt(
          instanceId,
          providerMessageId,
          receipt,
          `${receipt} (held until the send was recorded)`,
        )
      ) {
        applied += 1;
      }
    }
    return applied;
  }

  /** Messages still to send (queued or sending), per instance: the backlog autoscalers read. */
  async backlogByInstance(): Promise<Record<string, number>> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT instance_id, count(*)::int AS n FROM messages WHERE status IN ('queued', 'sending') GROUP BY instance_id`,
    );
    return Object.fromEntries(rows.map((row) => [String(row.instance_id), Number(row.n)]));
  }

  /** Forgets dedupe keys whose window has passed (they no longer stop anything). */
  async deleteExpiredDedupeKeys(before: Date, limit = 10_000): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      `DELETE FROM dedupe_keys WHERE key IN (SELECT key FROM dedupe_keys WHERE expires_at < $1 LIMIT $2) RETURNING key`,
      [before, limit],
    );
    return rows.length;
  }

  /** Forgets receipts no send ever claimed (messages sent from the phone itself, say). */
  async deletePendingReceiptsBefore(before: Date): Promise<number> {
    const rows = await queryRows(
      this.dataSource,
      'DELETE FROM pending_receipts WHERE received_at < $1 RETURNING id',
      [before],
    );
    return rows.length;
  }

  /**
   * Queued messages that should have been picked up by now but may not have a job — lost when Redis
   * was down at accept time, restarted or flushed — in (updated_at, id) order from a cursor, so
   * repeated calls walk the whole set instead of rereading its head. `next_attempt_at` covers retries
   * and delays that are legitimately still waiting.
   */
  async findStalledQueued(olderThan: Date, limit: number, after?: StalledCursor): Promise<StalledCursor[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT id, updated_at FROM messages
       WHERE status = 'queued' AND updated_at < $1 AND (next_attempt_at IS NULL OR next_attempt_at < $1)
         AND (updated_at, id) > ($3::timestamptz, $4::uuid)
       ORDER BY updated_at, id LIMIT $2`,
      [
        olderThan,
        limit,
        after?.updatedAt ?? new Date(0),
        after?.id ?? '00000000-0000-0000-0000-000000000000',
      ],
    );
    return rows.map((row) => ({ id: String(row.id), updatedAt: row.updated_at as Date }));
  }

  /**
   * Messages stuck in `sending` longer than any send can take: the worker died mid-call, so whether
   * WhatsApp got the message is unknown. They become `unknown`, never resent blindly.
   */
  async markStalledSendingUnknown(olderThan: Date, limit: number): Promise<string[]> {
    const reason = 'The dispatcher stopped during the send; delivery is unconfirmed';
    const rows = await queryRows(
      this.dataSource,
      `WITH stalled AS (
         SELECT id FROM messages WHERE status = 'sending' AND updated_at < $1
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), changed AS (
         UPDATE messages m SET status = 'unknown', updated_at = now(), last_error = $3
         FROM stalled WHERE m.id = stalled.id AND m.status = 'sending'
         RETURNING m.id
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail) SELECT id, 'ambiguous', 'unknown', $3 FROM changed
       )
       SELECT id FROM changed`,
      [olderThan, limit, reason],
    );
    return rows.map((row) => String(row.id));
  }

  private async transition(target: Target, transition: Transition): Promise<Message | null> {
    const p = new SqlParameters();
    const to = p.add(transition.to);
    const set = transition.set ? `, ${transition.set(p)}` : '';
    const match = matchTarget(target, p);
    const from = p.add(transition.from);
    const rows = await queryRows(
      this.dataSource,
      `WITH changed AS (
         UPDATE messages SET status = ${to}, updated_at = now()${set}
         WHERE ${match} AND status = ANY(${from}::text[])
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT id, ${p.add(transition.event)}, status, ${p.add(transition.detail)} FROM changed
       ), ${announceStatusChange(p.add(webhookEventForStatus(transition.to) ?? null))}
       SELECT * FROM changed`,
      p.values,
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }
}

function sentTransition(providerMessageId: string, detail: string): Transition {
  return {
    from: ['sending', 'unknown'],
    to: 'sent',
    event: 'sent',
    detail,
    set: (p) =>
      `provider_message_id = ${p.add(providerMessageId)}, sent_at = coalesce(sent_at, now()), last_error = NULL`,
  };
}

function matchTarget(target: Target, p: SqlParameters): string {
  if ('id' in target) return `id = ${p.add(target.id)}`;
  if ('providerMessageId' in target) {
    return `instance_id = ${p.add(target.instanceId)} AND provider_message_id = ${p.add(target.providerMessageId)}`;
  }
  return `id = (
    SELECT id FROM messages
    WHERE instance_id = ${p.add(target.instanceId)} AND phone_number = ${p.add(target.unconfirmedPhoneNumber)}
      AND body = ${p.add(target.body)} AND status IN ('sending', 'unknown') AND provider_message_id IS NULL
    ORDER BY created_at DESC LIMIT 1)`;
}

import type { Message, MessageEvent, MessageEventType, MessageStatus, MessageType } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toMessage, toMessageEvent } from './row-mappers';

/** An outgoing billing notification as ingress accepted it. */
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
}

/** A position in the sweeper's walk over stalled queued messages. */
export interface StalledCursor {
  readonly id: string;
  readonly updatedAt: Date;
}

interface Transition {
  readonly from: readonly MessageStatus[];
  readonly to: MessageStatus;
  readonly event: MessageEventType;
  readonly detail: string | null;
  /** Further `column = $n` assignments, numbered from $6 on. */
  readonly set?: string;
  readonly parameters?: readonly unknown[];
}

/**
 * Messages and their timelines. Every status change is a compare-and-set on the current status and
 * appends its event in the same statement, so concurrent workers cannot both win a transition and
 * the timeline never misses a change.
 */
export class MessageRepository {
  constructor(private readonly dataSource: DataSource) {}

  /** Writes the message as `queued` with its `accepted` event, in one statement (one round trip). */
  async insertOutgoing(message: NewOutgoingMessage): Promise<Message> {
    const rows = await queryRows(
      this.dataSource,
      `WITH inserted AS (
         INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, due_date, message_type, status)
         VALUES ($1, $2, 'outgoing', $3, $4, $5, $6, $7, $8, $9, 'queued')
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, 'accepted', 'queued' FROM inserted
       )
       SELECT * FROM inserted`,
      [
        message.accountId,
        message.instanceId,
        message.phoneNumber,
        message.customerName,
        message.amount,
        message.currency,
        message.invoiceId,
        message.dueDate,
        message.messageType,
      ],
    );
    return toMessage(rows[0]!);
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
    return this.transition(id, {
      from: ['queued'],
      to: 'sending',
      event: 'claimed',
      detail: null,
      set: ', attempts = attempts + 1, body = $6, next_attempt_at = NULL',
      parameters: [body],
    });
  }

  /** Evolution accepted the message (201) or a `send.message` webhook confirmed an ambiguous send. */
  markSent(id: string, providerMessageId: string): Promise<Message | null> {
    return this.transition(id, {
      from: ['sending', 'unknown'],
      to: 'sent',
      event: 'sent',
      detail: `Evolution message id ${providerMessageId}`,
      set: ', provider_message_id = $6, sent_at = now(), last_error = NULL',
      parameters: [providerMessageId],
    });
  }

  /** A transient failure: back to `queued` until BullMQ runs the job again at `nextAttemptAt`. */
  scheduleRetry(id: string, error: string, nextAttemptAt: Date): Promise<Message | null> {
    return this.transition(id, {
      from: ['sending'],
      to: 'queued',
      event: 'retry_scheduled',
      detail: `${error}; next attempt at ${nextAttemptAt.toISOString()}`,
      set: ', last_error = $6, next_attempt_at = $7',
      parameters: [error, nextAttemptAt],
    });
  }

  /** A permanent failure, or retries exhausted. */
  markFailed(id: string, error: string): Promise<Message | null> {
    return this.transition(id, {
      from: ['queued', 'sending'],
      to: 'failed',
      event: 'failed',
      detail: error,
      set: ', last_error = $6, failed_at = now(), next_attempt_at = NULL',
      parameters: [error],
    });
  }

  /**
   * The send may or may not have reached WhatsApp (timeout or reset after the request was written).
   * `unknown` is never claimed again, so it is not blindly resent; a receipt or a reconciliation
   * settles it.
   */
  markUnknown(id: string, reason: string): Promise<Message | null> {
    return this.transition(id, {
      from: ['sending'],
      to: 'unknown',
      event: 'ambiguous',
      detail: reason,
      set: ', last_error = $6',
      parameters: [reason],
    });
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
    const rows = await queryRows(
      this.dataSource,
      `WITH stalled AS (
         SELECT id FROM messages WHERE status = 'sending' AND updated_at < $1
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), changed AS (
         UPDATE messages m SET status = 'unknown', updated_at = now(),
           last_error = 'The dispatcher stopped during the send; delivery is unconfirmed'
         FROM stalled WHERE m.id = stalled.id AND m.status = 'sending'
         RETURNING m.id
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT id, 'ambiguous', 'unknown', 'The dispatcher stopped during the send; delivery is unconfirmed'
         FROM changed
       )
       SELECT id FROM changed`,
      [olderThan, limit],
    );
    return rows.map((row) => String(row.id));
  }

  private async transition(id: string, transition: Transition): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      `WITH changed AS (
         UPDATE messages SET status = $2, updated_at = now() ${transition.set ?? ''}
         WHERE id = $1 AND status = ANY($3::text[])
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail) SELECT id, $4, status, $5 FROM changed
       )
       SELECT * FROM changed`,
      [
        id,
        transition.to,
        transition.from,
        transition.event,
        transition.detail,
        ...(transition.parameters ?? []),
      ],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }
}

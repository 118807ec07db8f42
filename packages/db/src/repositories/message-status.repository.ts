import {
  MESSAGE_TRANSITIONS,
  RECEIPT_TRANSITIONS,
  type FailureReasonCode,
  type Message,
  type ReceiptStatus,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { applyTransition, applyTransitionToEach, type TransitionStep } from './message-transition.sql';
import { queryRows } from './query-rows';

/** A send Evolution accepted, to record: the message, its instance and Evolution's id for it. */
export interface RecordedSend {
  readonly messageId: string;
  readonly instanceId: string;
  readonly providerMessageId: string;
}

/** WhatsApp's error receipt: the message itself was refused. */
const REJECTED: FailureReasonCode = 'rejected';
const UNCONFIRMED: FailureReasonCode = 'unconfirmed';

const RECEIPT_TIMESTAMPS: Readonly<Record<ReceiptStatus, string>> = {
  sent: 'sent_at = coalesce(sent_at, now())',
  delivered: 'sent_at = coalesce(sent_at, now()), delivered_at = coalesce(delivered_at, now())',
  read: 'sent_at = coalesce(sent_at, now()), delivered_at = coalesce(delivered_at, now()), read_at = coalesce(read_at, now())',
  failed: 'failed_at = now()',
};

function sentStep(providerMessageId: string, detail: string): TransitionStep {
  return {
    rule: MESSAGE_TRANSITIONS.send,
    detail,
    set: (p) =>
      `provider_message_id = ${p.add(providerMessageId)}, sent_at = coalesce(sent_at, now()), last_error = NULL`,
  };
}

/**
 * A message's status changes as sending and WhatsApp make them, and the receipts that move it on.
 * Each change is one rule of the status machine (MESSAGE_TRANSITIONS), applied as a compare-and-set
 * (see applyTransition).
 */
export class MessageStatusRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Claims a queued message for one send attempt (`queued → sending`) and stores the text about to
   * be sent. Returns null when another worker, an earlier run of the same job, or a cancellation got
   * there first: the caller must then not call Evolution.
   */
  claimForSending(id: string, body: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.claim,
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
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.schedule,
        detail: `${reason}; sends at ${at.toISOString()}`,
        set: (p) => `next_attempt_at = ${p.add(at)}`,
      },
    );
  }

  /**
   * A scheduled message's time came: it queues, waiting for no slot yet (the dispatcher reserves
   * one as for any queued message). Null when it was no longer scheduled (canceled meanwhile).
   */
  makeDue(id: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      { rule: MESSAGE_TRANSITIONS.due, detail: 'Its send_at came', set: () => 'next_attempt_at = NULL' },
    );
  }

  /** Taken back before it was sent; null when it was no longer waiting to be. */
  cancel(id: string, reason: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      { rule: MESSAGE_TRANSITIONS.cancel, detail: reason, set: () => 'next_attempt_at = NULL' },
    );
  }

  /** The message could only go out after its deadline, so it never will. */
  markExpired(id: string, reason: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.expire,
        detail: reason,
        set: (p) => `last_error = ${p.add(reason)}, next_attempt_at = NULL`,
      },
    );
  }

  /** Evolution accepted the message (201). */
  markSent(id: string, providerMessageId: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      sentStep(providerMessageId, `Evolution message id ${providerMessageId}`),
    );
  }

  /**
   * Evolution accepted these messages (201): each is marked sent, as {@link markSent} does, in one
   * statement; then the receipts WhatsApp sent before the sends were recorded are taken in one more
   * and applied (see {@link applyPendingReceipts}). The dispatcher records the sends of concurrent
   * jobs this way, together.
   */
  async recordSends(sends: readonly RecordedSend[]): Promise<void> {
    await applyTransitionToEach(
      this.dataSource,
      MESSAGE_TRANSITIONS.send,
      sends.map((send) => ({
        id: send.messageId,
        detail: `Evolution message id ${send.providerMessageId}`,
        provider_message_id: send.providerMessageId,
      })),
      {
        columns: 'provider_message_id text',
        set: 'provider_message_id = input.provider_message_id, sent_at = coalesce(messages.sent_at, now()), last_error = NULL',
      },
    );
    // A separate statement, after the sends committed: a receipt held meanwhile is seen here, or its
    // holder sees the send recorded and applies it itself.
    const held = await queryRows(
      this.dataSource,
      `DELETE FROM pending_receipts pending
       USING jsonb_to_recordset($1::jsonb) AS send(instance_id uuid, provider_message_id text)
       WHERE pending.instance_id = send.instance_id AND pending.provider_message_id = send.provider_message_id
       RETURNING pending.id, pending.instance_id, pending.provider_message_id, pending.status`,
      [
        JSON.stringify(
          sends.map((send) => ({
            instance_id: send.instanceId,
            provider_message_id: send.providerMessageId,
          })),
        ),
      ],
      { prepare: true },
    );
    await this.applyHeldReceipts(
      held
        .sort((a, b) => Number(a.id) - Number(b.id))
        .map((row) => ({
          instanceId: row.instance_id as string,
          providerMessageId: row.provider_message_id as string,
          receipt: row.status as ReceiptStatus,
        })),
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
    return applyTransition(
      this.dataSource,
      { instanceId, unconfirmedPhoneNumber: phoneNumber, body },
      sentStep(providerMessageId, `Evolution confirmed the send (message id ${providerMessageId})`),
    );
  }

  /**
   * The instance is disconnected: the message waits, queued, until it reconnects (or its deadline),
   * and is woken at `recheckAt` at the latest; the sweeper leaves it alone until then.
   */
  hold(id: string, reason: string, recheckAt: Date): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.hold,
        detail: reason,
        set: (p) => `held_at = coalesce(held_at, now()), next_attempt_at = ${p.add(recheckAt)}`,
      },
    );
  }

  /** A held message woke while its instance is still disconnected: it sleeps on, without an event. */
  async keepHeld(id: string, recheckAt: Date): Promise<void> {
    await queryRows(
      this.dataSource,
      'UPDATE messages SET next_attempt_at = $2 WHERE id = $1 AND status = $3 AND held_at IS NOT NULL',
      [id, recheckAt, MESSAGE_TRANSITIONS.hold.to],
    );
  }

  /** A transient failure: back to `queued` until BullMQ runs the job again at `nextAttemptAt`. */
  scheduleRetry(id: string, error: string, nextAttemptAt: Date): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.retry,
        detail: `${error}; next attempt at ${nextAttemptAt.toISOString()}`,
        set: (p) => `last_error = ${p.add(error)}, next_attempt_at = ${p.add(nextAttemptAt)}`,
      },
    );
  }

  /** A permanent failure, or retries exhausted, with the code a billing system acts on. */
  markFailed(id: string, error: string, reasonCode: FailureReasonCode): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.fail,
        detail: error,
        set: (p) =>
          `last_error = ${p.add(error)}, reason_code = ${p.add(reasonCode)}, failed_at = now(), next_attempt_at = NULL`,
      },
    );
  }

  /** Evolution's own store shows an ambiguous send went out: it is sent after all. */
  confirmFoundSend(id: string, providerMessageId: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      sentStep(providerMessageId, `Found among Evolution's messages (message id ${providerMessageId})`),
    );
  }

  /** An ambiguous send with no evidence by its deadline, under the default policy: it failed. */
  failUnconfirmed(id: string, reason: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.failUnconfirmed,
        detail: reason,
        set: (p) =>
          `last_error = ${p.add(reason)}, reason_code = ${p.add(UNCONFIRMED)}, failed_at = now(), next_attempt_at = NULL`,
      },
    );
  }

  /** An ambiguous send with no evidence by its deadline, whose account asked for one resend. */
  resend(id: string, reason: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.resend,
        detail: reason,
        set: (p) => `last_error = ${p.add(reason)}, next_attempt_at = NULL`,
      },
    );
  }

  /**
   * The send may or may not have reached WhatsApp (timeout or reset after the request was written).
   * `unknown` is never claimed again, so it is not blindly resent; a receipt or a reconciliation
   * settles it.
   */
  markUnknown(id: string, reason: string): Promise<Message | null> {
    return applyTransition(
      this.dataSource,
      { id },
      {
        rule: MESSAGE_TRANSITIONS.ambiguous,
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
    return applyTransition(
      this.dataSource,
      { instanceId, providerMessageId },
      {
        rule: RECEIPT_TRANSITIONS[receipt],
        detail: `WhatsApp reported ${evolutionStatus}`,
        set: (p) =>
          receipt === 'failed'
            ? `${RECEIPT_TIMESTAMPS.failed}, last_error = ${p.add(error)}, reason_code = ${p.add(REJECTED)}`
            : RECEIPT_TIMESTAMPS[receipt],
      },
    );
  }

  /** Whether a send with this Evolution id is recorded, so its receipts can be applied. */
  async isSendRecorded(instanceId: string, providerMessageId: string): Promise<boolean> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT 1 FROM messages WHERE instance_id = $1 AND provider_message_id = $2',
      [instanceId, providerMessageId],
    );
    return rows.length > 0;
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
    return this.applyHeldReceipts(receipts.map((receipt) => ({ instanceId, providerMessageId, receipt })));
  }

  /** Applies receipts taken from those held, in the order given; how many changed a message. */
  private async applyHeldReceipts(
    held: readonly { instanceId: string; providerMessageId: string; receipt: ReceiptStatus }[],
  ): Promise<number> {
    let applied = 0;
    for (const { instanceId, providerMessageId, receipt } of held) {
      const note = `${receipt} (held until the send was recorded)`;
      if (await this.applyReceipt(instanceId, providerMessageId, receipt, note)) applied += 1;
    }
    return applied;
  }
}

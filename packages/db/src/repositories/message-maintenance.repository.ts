import { MESSAGE_TRANSITIONS, type Message, type UnconfirmedSendPolicy } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { statusList, WAITING_STATUSES } from './message-transition.sql';
import { queryRows } from './query-rows';
import { toMessage } from './row-mappers';

/** An ambiguous send, with what settling it needs to know. */
export interface UnknownSend {
  readonly message: Message;
  /** When it became ambiguous. */
  readonly since: Date;
  /** When the send that became ambiguous was claimed: it left between then and `since`. */
  readonly claimedAt: Date;
  readonly policy: UnconfirmedSendPolicy;
  /** Whether it was already sent once more under `resend_once`. */
  readonly resent: boolean;
}

/** A position in the sweeper's walk over stalled queued messages. */
export interface StalledCursor {
  readonly id: string;
  /**
   * The later of its last change and its next attempt (when it could start to stall), as
   * `YYYY-MM-DDTHH:MM:SS.ffffffZ`: a JS Date keeps only milliseconds, and a walk resuming there
   * would read again every row stalled later in that millisecond, such as a whole batch accepted
   * in one statement, never getting past them.
   */
  readonly since: string;
}

/**
 * When a waiting message could start to stall, as `messages_stalled_waiting_idx` spells it. Its
 * `next_attempt_at` covers retries, paced slots and a scheduled message's `send_at`, legitimately
 * still waiting; `greatest` skips a null one.
 */
const STALLED_SINCE = 'greatest(updated_at, next_attempt_at)';
const EXACT_STALLED_SINCE = `to_char(${STALLED_SINCE} AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/**
 * What the dispatcher's sweeper and housekeeping do to messages: finding work that lost its job,
 * settling sends a dead worker left mid-call, and forgetting what has served its time.
 */
export class MessageMaintenanceRepository {
  constructor(private readonly dataSource: DataSource) {}

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
   * Queued messages (and scheduled ones past their `send_at`) that should have been picked up by now
   * but may not have a job — lost when Redis
   * was down at accept time, restarted or flushed — in (since, id) order from a cursor, so repeated
   * calls walk the whole set instead of rereading its head. The index holds queued rows by `since`,
   * so a paced backlog waiting for its slots is not read at all.
   */
  async findStalledQueued(olderThan: Date, limit: number, after?: StalledCursor): Promise<StalledCursor[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT id, ${EXACT_STALLED_SINCE} AS since FROM messages
       WHERE status IN (${statusList(WAITING_STATUSES)}) AND ${STALLED_SINCE} < $1
         AND (${STALLED_SINCE}, id) > ($3::timestamptz, $4::uuid)
       ORDER BY ${STALLED_SINCE}, id LIMIT $2`,
      [olderThan, limit, after?.since ?? '-infinity', after?.id ?? '00000000-0000-0000-0000-000000000000'],
    );
    return rows.map((row) => ({ id: String(row.id), since: String(row.since) }));
  }

  /**
   * Messages stuck in `sending` longer than any send can take: the worker died mid-call, so whether
   * WhatsApp got the message is unknown. They become `unknown`, never resent blindly. The status is
   * spelt out so the planner matches `messages_stalled_sending_idx`, which holds only those rows.
   */
  async markStalledSendingUnknown(olderThan: Date, limit: number): Promise<string[]> {
    const reason = 'The dispatcher stopped during the send; delivery is unconfirmed';
    const ambiguous = MESSAGE_TRANSITIONS.ambiguous;
    const sending = statusList(ambiguous.from);
    const rows = await queryRows(
      this.dataSource,
      `WITH stalled AS (
         SELECT id FROM messages WHERE status IN (${sending}) AND updated_at < $1
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), changed AS (
         UPDATE messages m SET status = $4, updated_at = now(), last_error = $3
         FROM stalled WHERE m.id = stalled.id AND m.status IN (${sending})
         RETURNING m.id
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail) SELECT id, $5, $4, $3 FROM changed
       )
       SELECT id FROM changed`,
      [olderThan, limit, reason, ambiguous.to, ambiguous.event],
    );
    return rows.map((row) => String(row.id));
  }

  /**
   * Releases the held messages of instances that are connected again, oldest first, so they resume
   * in their order: held no more, due at once, each with a `released` event.
   *
   * @returns their ids, oldest first.
   */
  async releaseHeldOfConnectedInstances(limit: number): Promise<string[]> {
    const release = MESSAGE_TRANSITIONS.release;
    const rows = await queryRows(
      this.dataSource,
      `WITH due AS (
         SELECT m.id FROM messages m JOIN instances i ON i.id = m.instance_id
         WHERE m.held_at IS NOT NULL AND m.status = ANY($2::text[])
           AND i.connection_state = 'open' AND i.deleted_at IS NULL
         ORDER BY m.instance_id, m.created_at LIMIT $1 FOR UPDATE OF m SKIP LOCKED
       ), released AS (
         UPDATE messages m SET held_at = NULL, next_attempt_at = NULL, updated_at = now()
         FROM due WHERE m.id = due.id
         RETURNING m.id, m.created_at
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT id, $3, $4, 'The WhatsApp number is connected again' FROM released
       )
       SELECT id FROM released ORDER BY created_at, id`,
      [limit, release.from, release.event, release.to],
    );
    return rows.map((row) => String(row.id));
  }

  /** Ambiguous sends, longest unsettled first. */
  async findUnknown(limit: number): Promise<UnknownSend[]> {
    const resend = MESSAGE_TRANSITIONS.resend;
    const rows = await queryRows(
      this.dataSource,
      `SELECT m.*, a.unconfirmed_send_policy,
              EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.type = $2) AS resent,
              (SELECT max(e.created_at) FROM message_events e WHERE e.message_id = m.id AND e.type = $3) AS claimed_at
       FROM messages m JOIN accounts a ON a.id = m.account_id
       WHERE m.status = ${statusList([MESSAGE_TRANSITIONS.ambiguous.to])} ORDER BY m.updated_at LIMIT $1`,
      [limit, resend.event, MESSAGE_TRANSITIONS.claim.event],
    );
    return rows.map((row) => ({
      message: toMessage(row),
      since: row.updated_at as Date,
      claimedAt: (row.claimed_at as Date | null) ?? (row.updated_at as Date),
      policy: row.unconfirmed_send_policy === 'resend_once' ? 'resend_once' : 'fail',
      resent: row.resent === true,
    }));
  }
}

import { MESSAGE_TRANSITIONS, type Message, type UnconfirmedSendPolicy } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { statusList } from './message-transition.sql';
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
  readonly updatedAt: Date;
}

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
   * Queued messages that should have been picked up by now but may not have a job — lost when Redis
   * was down at accept time, restarted or flushed — in (updated_at, id) order from a cursor, so
   * repeated calls walk the whole set instead of rereading its head. `next_attempt_at` covers retries
   * and delays that are legitimately still waiting.
   */
  async findStalledQueued(olderThan: Date, limit: number, after?: StalledCursor): Promise<StalledCursor[]> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT id, updated_at FROM messages
       WHERE status = $5 AND updated_at < $1 AND (next_attempt_at IS NULL OR next_attempt_at < $1)
         AND (updated_at, id) > ($3::timestamptz, $4::uuid)
       ORDER BY updated_at, id LIMIT $2`,
      [
        olderThan,
        limit,
        after?.updatedAt ?? new Date(0),
        after?.id ?? '00000000-0000-0000-0000-000000000000',
        MESSAGE_TRANSITIONS.claim.from[0],
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
    const ambiguous = MESSAGE_TRANSITIONS.ambiguous;
    const rows = await queryRows(
      this.dataSource,
      `WITH stalled AS (
         SELECT id FROM messages WHERE status = ANY($4::text[]) AND updated_at < $1
         ORDER BY updated_at LIMIT $2 FOR UPDATE SKIP LOCKED
       ), changed AS (
         UPDATE messages m SET status = $5, updated_at = now(), last_error = $3
         FROM stalled WHERE m.id = stalled.id AND m.status = ANY($4::text[])
         RETURNING m.id
       ), logged AS (
         INSERT INTO message_events (message_id, type, status, detail) SELECT id, $6, $5, $3 FROM changed
       )
       SELECT id FROM changed`,
      [olderThan, limit, reason, ambiguous.from, ambiguous.to, ambiguous.event],
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

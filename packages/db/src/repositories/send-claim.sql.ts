import { MESSAGE_TRANSITIONS, webhookEventForStatus } from '@telenexus/core';
import { SqlParameters } from './sql-parameters';
import { announceStatusChange } from '../status-webhooks/status-announcement.sql';

/**
 * The instance columns a send reads, selected beside the message's under a prefix no message
 * column has (`instance_id` is one of them).
 */
export const SEND_INSTANCE_COLUMNS = [
  'id',
  'account_id',
  'name',
  'evolution_instance_name',
  'evolution_token',
  'connection_state',
  'connection_state_at',
  'country',
  'timezone',
  'created_at',
  'updated_at',
  'webhook_jwt_key',
  'webhook_configured_at',
  'webhook_error',
  'pacing_min_gap_ms',
  'pacing_jitter_ms',
  'daily_cap',
  'quiet_hours_start',
  'quiet_hours_end',
] as const;
export const SEND_INSTANCE_PREFIX = 'i__';

/** `i__<column>` of the message's row: the instance's, as the send read it. */
const instanceColumn = (column: (typeof SEND_INSTANCE_COLUMNS)[number]): string =>
  `found.${SEND_INSTANCE_PREFIX}${column}`;

/**
 * One statement for the send attempts of one or more messages: it claims each message (`queued → sending`, with its `claimed`
 * event and announcement, as `claimForSending` does) when nothing is left to decide before the
 * Evolution call, and otherwise only reads it. Nothing is left to decide when the message is queued
 * with its text stored at accept, not expired at `nowMs`, and its live instance is not disconnected,
 * not paced, without a daily cap and without quiet hours: exactly the case where the dispatcher goes
 * straight from its read to the claim. Every other case (a pacing slot or turn, quiet hours, a hold,
 * an expiry, a row stored before texts were, a settled or missing message) comes back unclaimed,
 * and the dispatcher decides on it as before.
 *
 * Every row returned (one per message found) has the message's columns (as claimed, or as read),
 * its instance's under SEND_INSTANCE_PREFIX (null when it was deleted), and `claimed`. Each claim is
 * a compare-and-set on `status` (re-checked on the row's newest version), so it never wins twice.
 */
export function claimOrFindForSendSql(
  messageIds: readonly string[],
  nowMs: number,
): { readonly sql: string; readonly values: unknown[] } {
  const { claim } = MESSAGE_TRANSITIONS;
  const announced = webhookEventForStatus(claim.to);
  const p = new SqlParameters();
  const ids = p.add(messageIds);
  const sql = `
    WITH found AS (
      SELECT m.*, ${SEND_INSTANCE_COLUMNS.map((column) => `i.${column} AS ${SEND_INSTANCE_PREFIX}${column}`).join(', ')}
      FROM messages m LEFT JOIN instances i ON i.id = m.instance_id AND i.deleted_at IS NULL
      WHERE m.id = ANY(${ids}::uuid[])
    ), changed AS (
      UPDATE messages m SET status = ${p.add(claim.to)}, updated_at = now(), attempts = m.attempts + 1,
                            next_attempt_at = NULL
      FROM found
      WHERE m.id = found.id AND m.status = ANY(${p.add(claim.from)}::text[]) AND m.body IS NOT NULL
        AND (m.expires_at IS NULL OR m.expires_at > ${p.add(new Date(nowMs))}::timestamptz)
        AND ${instanceColumn('id')} IS NOT NULL
        AND ${instanceColumn('connection_state')} IS DISTINCT FROM 'close'
        AND ${instanceColumn('pacing_min_gap_ms')} <= 0 AND ${instanceColumn('pacing_jitter_ms')} <= 0
        AND ${instanceColumn('daily_cap')} IS NULL
        AND (${instanceColumn('quiet_hours_start')} IS NULL OR ${instanceColumn('quiet_hours_end')} IS NULL)
      RETURNING m.*
    ), logged AS (
      INSERT INTO message_events (message_id, type, status, detail)
      SELECT id, ${p.add(claim.event)}, status, NULL FROM changed ORDER BY id
    )${
      // No billing system hears of `sending`: the outbox step is left out rather than planned for nothing.
      announced ? `, ${announceStatusChange(p.add(announced))}` : ''
    }
    SELECT changed.*, ${SEND_INSTANCE_COLUMNS.map(instanceColumn).join(', ')}, true AS claimed
    FROM changed JOIN found ON found.id = changed.id
    UNION ALL
    SELECT found.*, false AS claimed FROM found WHERE NOT EXISTS (SELECT 1 FROM changed WHERE changed.id = found.id)`;
  return { sql, values: p.values };
}

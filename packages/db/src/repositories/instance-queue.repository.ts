import {
  isMessageStatus,
  isMessageType,
  MESSAGE_EVENT_TYPES,
  MESSAGE_TRANSITIONS,
  type InstanceQueueCounts,
  type MessageEventType,
  type MessageStatus,
  type WaitingMessage,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { statusList } from './message-transition.sql';
import { queryRows } from './query-rows';

const QUEUED: readonly MessageStatus[] = [MESSAGE_TRANSITIONS.accept.to];
const WAITING_FOR_SEND_AT: readonly MessageStatus[] = [MESSAGE_TRANSITIONS.acceptScheduled.to];
/** Claimed for a send, or sent without an answer (an ambiguous send waiting to be confirmed). */
const IN_FLIGHT: readonly MessageStatus[] = [MESSAGE_TRANSITIONS.claim.to, MESSAGE_TRANSITIONS.ambiguous.to];
const FAILED: readonly MessageStatus[] = [MESSAGE_TRANSITIONS.fail.to];

function isEventType(value: unknown): value is MessageEventType {
  return typeof value === 'string' && (MESSAGE_EVENT_TYPES as readonly string[]).includes(value);
}

/**
 * One instance's queue as its messages' lifecycle columns tell it: `status`, `held_at` (waiting for
 * the number) and `next_attempt_at` (the time set for its next try). Both statements are led by
 * (instance_id, status), so they read `messages_instance_status_created_idx` and only the rows of
 * the statuses they count, however long the instance's history.
 */
export class InstanceQueueRepository {
  constructor(private readonly dataSource: DataSource) {}

  async counts(instanceId: string, now: Date): Promise<InstanceQueueCounts> {
    const queued = statusList(QUEUED);
    const rows = await queryRows(
      this.dataSource,
      `SELECT
         count(*) FILTER (WHERE status IN (${queued}) AND held_at IS NULL
                            AND (next_attempt_at IS NULL OR next_attempt_at <= $2))::int AS ready,
         count(*) FILTER (WHERE status IN (${queued}) AND held_at IS NULL AND next_attempt_at > $2)::int AS scheduled,
         count(*) FILTER (WHERE status IN (${queued}) AND held_at IS NOT NULL)::int AS held,
         count(*) FILTER (WHERE status IN (${statusList(IN_FLIGHT)}))::int AS in_flight,
         count(*) FILTER (WHERE status IN (${statusList(FAILED)})
                            AND failed_at > $2::timestamptz - interval '24 hours')::int AS failed,
         count(*) FILTER (WHERE status IN (${statusList(WAITING_FOR_SEND_AT)}))::int AS waiting_for_send_at
       FROM messages
       WHERE instance_id = $1
         AND status IN (${statusList([...QUEUED, ...IN_FLIGHT, ...FAILED, ...WAITING_FOR_SEND_AT])})`,
      [instanceId, now],
    );
    const row = rows[0] ?? {};
    return {
      ready: Number(row.ready ?? 0),
      scheduled: Number(row.scheduled ?? 0),
      held: Number(row.held ?? 0),
      inFlight: Number(row.in_flight ?? 0),
      failedLast24h: Number(row.failed ?? 0),
      waitingForSendAt: Number(row.waiting_for_send_at ?? 0),
    };
  }

  /**
   * The queued message that has waited longest, with the latest event of its timeline (one index
   * probe of `message_events_message_idx`): the event tells a retry's wait from a paced slot's.
   */
  async oldestWaiting(instanceId: string): Promise<WaitingMessage | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT m.id, m.invoice_id, m.message_type, m.status, m.created_at, m.held_at, m.next_attempt_at,
              (SELECT e.type FROM message_events e WHERE e.message_id = m.id ORDER BY e.id DESC LIMIT 1)
                AS last_event
       FROM messages m
       WHERE m.instance_id = $1 AND m.status IN (${statusList(QUEUED)})
       ORDER BY m.created_at, m.id
       LIMIT 1`,
      [instanceId],
    );
    const row = rows[0];
    if (!row || !isMessageStatus(row.status) || !(row.created_at instanceof Date)) return null;
    return {
      id: String(row.id),
      invoiceId: typeof row.invoice_id === 'string' ? row.invoice_id : null,
      messageType: isMessageType(row.message_type) ? row.message_type : null,
      status: row.status,
      createdAt: row.created_at,
      heldAt: row.held_at instanceof Date ? row.held_at : null,
      nextAttemptAt: row.next_attempt_at instanceof Date ? row.next_attempt_at : null,
      lastEvent: isEventType(row.last_event) ? row.last_event : null,
    };
  }
}

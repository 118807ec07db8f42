import {
  MESSAGE_TRANSITIONS,
  RESUBMITTABLE_STATUSES,
  SUPERSEDED_BY_CONFIRMATION,
  webhookEventForStatus,
  type MessageEventType,
  type WebhookEventType,
} from '@telenexus/core';
import type { OutgoingAcceptance } from './outgoing-acceptance';
import { SqlParameters } from './sql-parameters';
import { announceStatusChange } from '../status-webhooks/status-announcement.sql';

/** Accepted notifications are announced only to endpoints that opt in (see OPT_IN_WEBHOOK_EVENT_TYPES). */
const QUEUED_EVENT: WebhookEventType = 'message.queued';

/** The timeline event linking a notification's resubmission and the message it follows. */
const RESUBMITTED_EVENT: MessageEventType = 'resubmitted';

/**
 * The step that stores the timeline events a request's messages start with beyond `accepted`, which
 * is not stored: it is the message row itself (see `MessageQueryRepository.listEvents`), one row per
 * message fewer to write. Each part is a SELECT of (message_id, step, type, status, detail); empty
 * parts are left out, and with none the step is.
 */
function loggedEvents(parts: readonly string[]): string {
  const selects = parts.filter((part) => part !== '');
  if (selects.length === 0) return '';
  return `, logged AS (
         -- One insert, in timeline order: each message's events get ascending ids.
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT message_id, type, status, detail FROM (
           ${selects.join('\n           UNION ALL\n           ')}
         ) events
         ORDER BY step, message_id
       )`;
}

/** A statement and its parameters. */
export interface Statement {
  readonly sql: string;
  readonly values: unknown[];
}

/**
 * The statement that stores send requests (see `MessageAcceptanceRepository.acceptOutgoing`):
 * several requests of different instances at once, each input row naming its request (`req`, its
 * position in `requests`), account and instance. Every row it answers names its request and item.
 *
 * Requests of one statement must be of different instances (a confirmation cancels the reminders
 * of its own instance, found by instance), and only a statement of one request may create a batch.
 */
export function acceptStatement(requests: readonly OutgoingAcceptance[]): Statement {
  const [first] = requests;
  if (!first) throw new Error('acceptStatement needs at least one request');
  if (new Set(requests.map((request) => request.instanceId)).size < requests.length)
    throw new Error('acceptStatement takes one request per instance');
  if (requests.length > 1 && requests.some((request) => request.batch))
    throw new Error('acceptStatement stores a batch only on its own');
  if (requests.some((request) => request.dedupeWindowMs !== first.dedupeWindowMs))
    throw new Error('acceptStatement takes requests of one dedupe window');

  const input = requests.flatMap((request, req) =>
    request.items.map((item) => ({
      req,
      account_id: request.accountId,
      instance_id: request.instanceId,
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
      // Absent keys read as NULL: a request without metadata sends none.
      ...(item.metadata ? { metadata: item.metadata } : {}),
      ...(item.sendAt ? { send_at: item.sendAt.toISOString() } : {}),
      // Only paced instances reserve at accept: the others' input stays as small as it was.
      ...(item.reservedSlot
        ? {
            next_attempt_at: item.reservedSlot.at.toISOString(),
            scheduled_detail: item.reservedSlot.scheduledDetail,
          }
        : {}),
    })),
  );
  const items = requests.flatMap((request) => request.items);
  const scheduling = items.some((item) => item.reservedSlot?.scheduledDetail);
  const deduping = first.dedupeWindowMs > 0;
  // Only a confirmation supersedes anything; without one those steps (and their scan) are left out.
  const confirmations = [
    ...new Set(items.filter((item) => item.messageType === 'confirmation').map((item) => item.invoiceId)),
  ];
  const superseding = confirmations.length > 0;
  const { accept, acceptScheduled, supersede, schedule } = MESSAGE_TRANSITIONS;
  const waiting = items.some((item) => item.sendAt);
  const p = new SqlParameters();
  const queued = p.add(accept.to);
  // A message with a send_at ahead waits for it as `scheduled`; it is announced when it queues.
  const accepted = waiting
    ? `CASE WHEN input.send_at IS NOT NULL THEN ${p.add(acceptScheduled.to)} ELSE ${queued} END`
    : queued;
  const canceled = superseding ? p.add(supersede.to) : '';
  const queuedEvent = p.add(QUEUED_EVENT);
  // Only what the statement uses becomes a parameter: Postgres cannot type one it never sees.
  const ended = deduping ? p.add(RESUBMITTABLE_STATUSES) : '';
  // With dedupe off a request may hold the same notification twice: match claims by position.
  const matchClaim = deduping
    ? 'USING (dedupe_key)'
    : 'ON claimed.req = input.req AND claimed.idx = input.idx';
  const supersededTypes = superseding ? p.add(SUPERSEDED_BY_CONFIRMATION) : '';
  const sql = `WITH input AS (
         SELECT * FROM jsonb_to_recordset(${p.add(JSON.stringify(input))}::jsonb) AS x(
           req int, account_id uuid, instance_id uuid,
           idx int, dedupe_key text, phone_number text, customer_name text, amount numeric, currency text,
           invoice_id text, due_date date, message_type text, body text, expires_at timestamptz,
           next_attempt_at timestamptz, scheduled_detail text, metadata jsonb, send_at timestamptz)
       ), batch AS (
         INSERT INTO batches (account_id, instance_id, item_count, accepted, rejected)
         SELECT ${p.add(first.accountId)}::uuid, ${p.add(first.instanceId)}::uuid,
                ${p.add(first.batch?.itemCount ?? 0)}::int, 0, ${p.add(first.batch?.rejected ?? 0)}::int
         WHERE ${p.add(first.batch !== undefined)}::boolean
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
                now() + (${p.add(first.dedupeWindowMs)}::bigint * interval '1 millisecond')
         FROM input
         ON CONFLICT (key) DO UPDATE SET message_id = EXCLUDED.message_id, expires_at = EXCLUDED.expires_at
           -- The earlier message by its id (as a semi-join, a plan prepared on a small table hashes
           -- every ended message of the table instead).
           WHERE dedupe_keys.expires_at < now()
              OR (SELECT ended.status FROM messages ended WHERE ended.id = dedupe_keys.message_id)
                   = ANY(${ended}::text[])
         RETURNING encode(key, 'hex') AS dedupe_key, message_id
       )`
           : `claimed AS (SELECT req, idx, dedupe_key, gen_random_uuid() AS message_id FROM input)`
       }, inserted AS (
         -- A reminder of an invoice its request also confirms is canceled as it is stored: it never queues.
         INSERT INTO messages (id, account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, due_date, message_type, body, status, expires_at, batch_id,
                               next_attempt_at, metadata, send_at)
         SELECT claimed.message_id, input.account_id, input.instance_id, 'outgoing', input.phone_number,
                input.customer_name, input.amount, input.currency, input.invoice_id, input.due_date,
                input.message_type, input.body,
                ${
                  superseding
                    ? `CASE WHEN input.message_type = ANY(${supersededTypes}::text[]) AND EXISTS (
                       SELECT 1 FROM input confirming
                       WHERE confirming.req = input.req AND confirming.message_type = 'confirmation'
                         AND confirming.invoice_id = input.invoice_id)
                     THEN ${canceled} ELSE ${accepted} END`
                    : accepted
                },
                input.expires_at, (SELECT id FROM batch), coalesce(input.send_at, input.next_attempt_at),
                input.metadata, input.send_at
         FROM input JOIN claimed ${matchClaim}
         RETURNING *
       ), queued_message AS (
         -- Opt-in: when no endpoint of the account names the event, one probe of its endpoints is all it costs.
         SELECT * FROM inserted WHERE status = ${queued} AND EXISTS (
           SELECT 1 FROM webhook_endpoints endpoint
           WHERE endpoint.account_id = inserted.account_id AND endpoint.enabled AND endpoint.deleted_at IS NULL
             AND ${queuedEvent}::text = ANY(endpoint.events))
       ), ${announceStatusChange(queuedEvent, 'queued_message', 'queued_announced')}${
         superseding
           ? `, request_confirmation AS (
         -- Per instance and invoice, the confirmation its request carries: stored now (first), or accepted before.
         SELECT DISTINCT ON (input.instance_id, input.invoice_id) input.instance_id, input.invoice_id,
                coalesce(inserted.id, ${deduping ? 'live.message_id' : 'NULL::uuid'}) AS id
         FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id
         ${deduping ? 'LEFT JOIN live ON live.dedupe_key = input.dedupe_key' : ''}
         WHERE input.message_type = 'confirmation'
         ORDER BY input.instance_id, input.invoice_id, inserted.id IS NULL, input.idx
       ), superseded AS (
         UPDATE messages earlier SET status = ${canceled}, updated_at = now(), next_attempt_at = NULL
         FROM inserted confirmation
         WHERE confirmation.message_type = 'confirmation'
           AND earlier.account_id = confirmation.account_id AND earlier.instance_id = confirmation.instance_id
           AND earlier.status = ANY(${p.add(supersede.from)}::text[])
           AND earlier.invoice_id = ANY(${p.add(confirmations)}::text[]) AND earlier.invoice_id = confirmation.invoice_id
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
       }${loggedEvents([
         deduping
           ? `SELECT id AS message_id, 2 AS step, ${p.add(RESUBMITTED_EVENT)}::text AS type, NULL::text AS status,
                  'Resubmission of message ' || earlier_id || ', which ended ' || earlier_status AS detail
           FROM resubmitted
           UNION ALL
           SELECT earlier_id, 2, ${p.add(RESUBMITTED_EVENT)}, NULL, 'Resubmitted as message ' || id
           FROM resubmitted`
           : '',
         superseding
           ? `SELECT inserted.id AS message_id, 3 AS step, ${p.add(supersede.event)}::text AS type,
                  ${canceled}::text AS status,
                  'Superseded by payment confirmation ' || request_confirmation.id AS detail
           FROM inserted JOIN request_confirmation USING (instance_id, invoice_id)
           WHERE inserted.status = ${canceled}
           UNION ALL
           SELECT superseded.id, 3, ${p.add(supersede.event)}, ${canceled},
                  'Superseded by payment confirmation ' || request_confirmation.id
           FROM superseded JOIN request_confirmation USING (instance_id, invoice_id)`
           : '',
         scheduling
           ? `SELECT inserted.id AS message_id, 4 AS step, ${p.add(schedule.event)}::text AS type,
                  ${queued}::text AS status, input.scheduled_detail AS detail
           FROM input JOIN claimed ${matchClaim} JOIN inserted ON inserted.id = claimed.message_id
           WHERE input.scheduled_detail IS NOT NULL AND inserted.status = ${queued}`
           : '',
       ])}
       -- Only what the caller needs of each new message: parsing whole rows cost more than storing them.
       SELECT input.req, input.idx, inserted.id, inserted.status, (SELECT id FROM batch) AS new_batch_id,
              ${
                superseding
                  ? `(SELECT coalesce(array_agg(superseded.id), '{}') FROM superseded
                      WHERE superseded.instance_id = input.instance_id)`
                  : "'{}'::uuid[]"
              } AS superseded_ids
       FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id`;
  return { sql, values: p.values };
}

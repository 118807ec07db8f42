import { MESSAGE_STATUSES, PENDING_STATUSES, type MessageStatus } from '@telenexus/core';
import { waitFor } from '../../support/wait-for';
import type { BillingLoad } from './billing-load';
import type { FaultHarness } from './fault-harness';

/**
 * Statuses an outgoing message can rest in: any but those still on their way to Evolution, and
 * `unknown`, which the reconciler settles (the drills give it a deadline of a few seconds).
 */
const SETTLED: readonly MessageStatus[] = MESSAGE_STATUSES.filter(
  (status) => !PENDING_STATUSES.includes(status) && status !== 'received' && status !== 'unknown',
);

const SENT: readonly MessageStatus[] = ['sent', 'delivered', 'read'];

/** One scenario's figures, as the reliability table shows them. */
export interface ScenarioReport {
  readonly scenario: string;
  readonly requests: number;
  /** Answered 200. */
  readonly accepted: number;
  /** Finally answered otherwise (after the client's retries of 503). */
  readonly refused: number;
  /** Delivered to WhatsApp (the sandbox) exactly once. */
  readonly sent: number;
  /** Accepted but without a stored row, or never settled within the bound. */
  readonly lost: number;
  /** Deliveries beyond the first for a message. */
  readonly duplicates: number;
  /** Ambiguous sends still `unknown` at the end (the reconciler should leave none). */
  readonly unknown: number;
  /** Ambiguous sends the reconciler (or a webhook) found to have gone out. */
  readonly confirmed: number;
  /** Ambiguous sends never confirmed by their deadline: failed as `unconfirmed`. */
  readonly unconfirmed: number;
  /** Messages held while their number was disconnected. */
  readonly held: number;
  readonly failed: number;
  /** From the faults healing to every accepted message settled, in ms. */
  readonly drainMs: number;
}

/**
 * Checks the promises after a scenario, once its faults have stopped: every 200 has a stored
 * message; every message settles within the bound; WhatsApp (the sandbox's ledger) received each at
 * most once; a sent message was received exactly once and a failed one never. Returns the figures
 * and the broken promises, if any.
 */
export async function checkInvariants(
  scenario: string,
  harness: FaultHarness,
  load: BillingLoad,
  settleWithinMs: number,
): Promise<{ report: ScenarioReport; violations: string[] }> {
  const violations: string[] = [];
  const accepted = load.answers.filter((answer) => answer.status === 200);
  const answered = accepted.map((answer) => answer.messageId).filter((id): id is string => id !== undefined);
  if (answered.length !== accepted.length) violations.push('a 200 answer carried no message_id');
  // Two requests of one notification (a client that retried at once) answer with one message.
  const ids = [...new Set(answered)];

  const healedAt = Date.now();
  const statuses = async (): Promise<Map<string, MessageStatus>> => {
    const rows: { id: string; status: MessageStatus }[] = await harness.db.dataSource.query(
      'SELECT id, status FROM messages WHERE id = ANY($1::uuid[])',
      [ids],
    );
    return new Map(rows.map((row) => [row.id, row.status]));
  };
  let current = await statuses();
  await waitFor(
    async () => {
      current = await statuses();
      return [...current.values()].every((status) => SETTLED.includes(status)) || undefined;
    },
    'every accepted message to settle',
    settleWithinMs,
  ).catch(() => undefined);
  const drainMs = Date.now() - healedAt;

  const missing = ids.filter((id) => !current.has(id));
  const unsettled = ids.filter((id) => current.has(id) && !SETTLED.includes(current.get(id)!));
  if (missing.length > 0)
    violations.push(`${missing.length} accepted message(s) have no row: ${missing.slice(0, 3).join(', ')}`);
  if (unsettled.length > 0)
    violations.push(`${unsettled.length} message(s) did not settle within ${settleWithinMs} ms`);

  const deliveries = new Map<string, number>();
  for (const delivery of harness.sandbox.deliveries({
    instance: harness.tenant.instance.evolutionInstanceName,
  })) {
    const invoice = /Invoice: #(\S+)/.exec(delivery.text)?.[1];
    if (invoice) deliveries.set(invoice, (deliveries.get(invoice) ?? 0) + 1);
  }
  // A billing system may resubmit a failed notification: one invoice, several messages. WhatsApp
  // must have received each invoice exactly as many times as its messages are recorded sent.
  const invoiceOf = new Map(accepted.map((answer) => [answer.messageId, answer.invoiceId]));
  const recordedSent = new Map<string, number>();
  let failed = 0;
  let unknown = 0;
  for (const id of ids) {
    const status = current.get(id);
    const invoice = invoiceOf.get(id) ?? '';
    if (status && SENT.includes(status)) recordedSent.set(invoice, (recordedSent.get(invoice) ?? 0) + 1);
    else if (status === 'failed') failed += 1;
    else if (status === 'unknown') unknown += 1;
  }
  let sent = 0;
  let duplicates = 0;
  for (const invoice of new Set([...deliveries.keys(), ...recordedSent.keys()])) {
    const received = deliveries.get(invoice) ?? 0;
    const expected = recordedSent.get(invoice) ?? 0;
    sent += Math.min(received, expected);
    if (received > expected) {
      duplicates += received - expected;
      violations.push(
        `invoice ${invoice} reached WhatsApp ${received} times, recorded sent ${expected} times`,
      );
    } else if (received < expected) {
      violations.push(
        `invoice ${invoice} is recorded sent ${expected} times but WhatsApp received it ${received}`,
      );
    }
  }
  const outcomes: { confirmed: number; unconfirmed: number; held: number }[] =
    await harness.db.dataSource.query(
      `SELECT count(*) FILTER (WHERE m.status = ANY($2::text[])
              AND EXISTS (SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.type = 'ambiguous'))::int AS confirmed,
            count(*) FILTER (WHERE m.reason_code = 'unconfirmed')::int AS unconfirmed,
            count(*) FILTER (WHERE EXISTS (
              SELECT 1 FROM message_events e WHERE e.message_id = m.id AND e.type = 'held'))::int AS held
     FROM messages m WHERE m.id = ANY($1::uuid[])`,
      [ids, SENT],
    );
  const { confirmed, unconfirmed, held } = outcomes[0]!;
  return {
    report: {
      scenario,
      requests: load.answers.length,
      accepted: accepted.length,
      refused: load.answers.length - accepted.length,
      sent,
      lost: missing.length + unsettled.length,
      duplicates,
      unknown,
      confirmed,
      unconfirmed,
      held,
      failed,
      drainMs,
    },
    violations,
  };
}

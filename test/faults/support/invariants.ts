import { MESSAGE_STATUSES, PENDING_STATUSES, type MessageStatus } from '../../../packages/core/src';
import { waitFor } from '../../support/wait-for';
import type { BillingLoad } from './billing-load';
import type { FaultHarness } from './fault-harness';

/** Statuses an outgoing message can rest in: any but those still on their way to Evolution. */
const SETTLED: readonly MessageStatus[] = MESSAGE_STATUSES.filter(
  (status) => !PENDING_STATUSES.includes(status) && status !== 'received',
);

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
  /** Ambiguous sends left `unknown` (whether WhatsApp got them is in the ledger). */
  readonly unknown: number;
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
  const ids = accepted.map((answer) => answer.messageId).filter((id): id is string => id !== undefined);
  if (ids.length !== accepted.length) violations.push('a 200 answer carried no message_id');

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
  const invoiceOf = new Map(accepted.map((answer) => [answer.messageId, answer.invoiceId]));
  let sent = 0;
  let failed = 0;
  let unknown = 0;
  let duplicates = 0;
  for (const [invoice, count] of deliveries) {
    if (count > 1) {
      duplicates += count - 1;
      violations.push(`invoice ${invoice} reached WhatsApp ${count} times`);
    }
  }
  for (const id of ids) {
    const status = current.get(id);
    const received = deliveries.get(invoiceOf.get(id) ?? '') ?? 0;
    if (status === 'sent' || status === 'delivered' || status === 'read') {
      if (received === 1) sent += 1;
      else violations.push(`message ${id} is ${status} but WhatsApp received it ${received} times`);
    } else if (status === 'failed') {
      failed += 1;
      if (received > 0) violations.push(`message ${id} is failed but WhatsApp received it`);
    } else if (status === 'unknown') {
      unknown += 1;
    }
  }
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
      failed,
      drainMs,
    },
    violations,
  };
}

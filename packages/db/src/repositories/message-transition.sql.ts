import {
  webhookEventForStatus,
  type Message,
  type MessageStatus,
  type MessageTransitionRule,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toMessage } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { announceStatusChange } from './status-announcement.sql';

/** Which message a transition applies to. */
export type TransitionTarget =
  | { readonly id: string }
  | { readonly instanceId: string; readonly providerMessageId: string }
  /** The newest message to that number with exactly that text that Evolution never confirmed. */
  | { readonly instanceId: string; readonly unconfirmedPhoneNumber: string; readonly body: string };

/** One application of a rule of the status machine to one message. */
export interface TransitionStep {
  readonly rule: MessageTransitionRule;
  readonly detail: string | null;
  /** Further assignments; each value becomes a parameter. `now()` and column expressions go in `sql`. */
  readonly set?: (parameters: SqlParameters) => string;
}

/** A status list as SQL literals, for predicates a partial index must recognise. */
export function statusList(statuses: readonly MessageStatus[]): string {
  return statuses.map((status) => `'${status}'`).join(', ');
}

function matchTarget(
  target: TransitionTarget,
  p: SqlParameters,
  unconfirmed: readonly MessageStatus[],
): string {
  if ('id' in target) return `id = ${p.add(target.id)}`;
  if ('providerMessageId' in target) {
    return `instance_id = ${p.add(target.instanceId)} AND provider_message_id = ${p.add(target.providerMessageId)}`;
  }
  return `id = (
    SELECT id FROM messages
    WHERE instance_id = ${p.add(target.instanceId)} AND phone_number = ${p.add(target.unconfirmedPhoneNumber)}
      AND body = ${p.add(target.body)} AND status = ANY(${p.add(unconfirmed)}::text[])
      AND provider_message_id IS NULL
    ORDER BY created_at DESC LIMIT 1)`;
}

/**
 * Applies one transition as a compare-and-set on the current status that appends its event and
 * queues the billing system's status webhooks in the same statement: concurrent workers cannot both
 * win it, the timeline never misses a change, and no announcement is lost or sent for a change that
 * did not commit.
 *
 * @returns the message as changed, or null when it was not in a status the rule starts from.
 */
export async function applyTransition(
  dataSource: DataSource,
  target: TransitionTarget,
  step: TransitionStep,
): Promise<Message | null> {
  const p = new SqlParameters();
  const to = p.add(step.rule.to);
  const set = step.set ? `, ${step.set(p)}` : '';
  const match = matchTarget(target, p, step.rule.from);
  const from = p.add(step.rule.from);
  const rows = await queryRows(
    dataSource,
    `WITH changed AS (
       UPDATE messages SET status = ${to}, updated_at = now()${set}
       WHERE ${match} AND status = ANY(${from}::text[])
       RETURNING *
     ), logged AS (
       INSERT INTO message_events (message_id, type, status, detail)
       SELECT id, ${p.add(step.rule.event)}, status, ${p.add(step.detail)} FROM changed
     ), ${announceStatusChange(p.add(webhookEventForStatus(step.rule.to) ?? null))}
     SELECT * FROM changed`,
    p.values,
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

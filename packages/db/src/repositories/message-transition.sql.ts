import {
  MESSAGE_TRANSITIONS,
  webhookEventForStatus,
  type Message,
  type MessageStatus,
  type MessageTransitionRule,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { queryRows } from './query-rows';
import { toMessage } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { announceStatusChange } from '../status-webhooks/status-announcement.sql';

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

/**
 * Messages waiting to go out, scheduled or queued: what an account's queue limit counts and the
 * sweeper checks for lost jobs. The partial indexes of both list exactly these, in this order.
 */
export const WAITING_STATUSES: readonly MessageStatus[] = [
  MESSAGE_TRANSITIONS.accept.to,
  MESSAGE_TRANSITIONS.acceptScheduled.to,
];

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
  const set = step.set ? `, ${step.set(p)}` : '';
  const match = matchTarget(target, p, step.rule.from);
  const rows = await queryRows(
    dataSource,
    transitionStatement(p, step.rule, { set, where: match, detail: p.add(step.detail) }),
    p.values,
    // Every send and receipt runs one; its text takes one shape per kind of transition.
    { prepare: true },
  );
  return rows[0] ? toMessage(rows[0]) : null;
}

/** One message of {@link applyTransitionToEach}: its id, its timeline detail and its own values. */
export interface EachTransition {
  readonly id: string;
  readonly detail: string | null;
  readonly [column: string]: string | null;
}

/**
 * Applies one rule to many messages in one statement, as {@link applyTransition} does to one: each
 * message changes only from a status the rule starts from, with its own timeline detail and its own
 * values (`input.<column>` in `set`, typed by `columns`).
 *
 * @returns the ids of the messages that changed.
 */
export async function applyTransitionToEach(
  dataSource: DataSource,
  rule: MessageTransitionRule,
  each: readonly EachTransition[],
  options: { readonly columns: string; readonly set: string },
): Promise<string[]> {
  if (each.length === 0) return [];
  const p = new SqlParameters();
  // In id order: concurrent statements lock the rows they share in the same order.
  const input = [...each].sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const columns = options.columns.split(',').map((column) => column.trim().split(/\s+/) as [string, string]);
  // One array per column: unnested, the planner knows how many messages there are, and finds each
  // by id. Offered jsonb_to_recordset (100 rows, it assumes) it scanned the whole of a `messages` of
  // a few thousand rows instead; and a prepared plan made while the table was small would scan it
  // at any size. So it is not prepared: planned each time, once per group of messages.
  const arrays = [
    `${p.add(input.map((row) => row.id))}::uuid[]`,
    `${p.add(input.map((row) => row.detail))}::text[]`,
    ...columns.map(([name, type]) => `${p.add(input.map((row) => row[name] ?? null))}::${type}[]`),
  ];
  const rows = await queryRows(
    dataSource,
    transitionStatement(p, rule, {
      set: `, ${options.set}`,
      from: `unnest(${arrays.join(', ')}) AS input(id, detail, ${columns.map(([name]) => name).join(', ')})`,
      where: 'messages.id = input.id',
      detail: 'changed.transition_detail',
      returning: ', input.detail AS transition_detail',
    }),
    p.values,
  );
  return rows.map((row) => row.id as string);
}

/**
 * The compare-and-set UPDATE of a transition with its timeline event and status webhooks, one
 * statement: what every transition, of one message or of many, is made of.
 */
function transitionStatement(
  p: SqlParameters,
  rule: MessageTransitionRule,
  parts: {
    readonly set: string;
    readonly where: string;
    readonly detail: string;
    readonly from?: string;
    readonly returning?: string;
  },
): string {
  const from = parts.from ? ` FROM ${parts.from}` : '';
  return `WITH changed AS (
       UPDATE messages SET status = ${p.add(rule.to)}, updated_at = now()${parts.set}${from}
       WHERE ${parts.where} AND messages.status = ANY(${p.add(rule.from)}::text[])
       RETURNING messages.*${parts.returning ?? ''}
     ), logged AS (
       INSERT INTO message_events (message_id, type, status, detail)
       SELECT id, ${p.add(rule.event)}, status, ${parts.detail} FROM changed ORDER BY id
     ), ${announceStatusChange(p.add(rule.announces ?? webhookEventForStatus(rule.to) ?? null))}
     SELECT * FROM changed`;
}

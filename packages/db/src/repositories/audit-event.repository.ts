import {
  AUDIT_TARGET_TYPES,
  isAuditAction,
  type AuditChanges,
  type AuditEvent,
  type AuditTarget,
  type NewAuditEvent,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { PageCursor } from './page-cursor';
import { queryRows } from './query-rows';
import type { Row } from './row-mappers';
import { SqlParameters } from './sql-parameters';

/** Which events a page holds. */
export interface AuditEventFilter {
  /** One account's events; every account's when absent (the operator's CLI only). */
  readonly accountId?: string;
  /** An exact action, or a prefix ending in `.` (`instance.`) for every action on that target. */
  readonly action?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  readonly after?: PageCursor;
  readonly limit: number;
}

export interface AuditEventPage {
  readonly events: AuditEvent[];
  /** Where the next page starts, or null on the last page. */
  readonly next: PageCursor | null;
}

/** `occurred_at` to the microsecond, as a page cursor holds it. */
const EXACT_OCCURRED_AT = `to_char(occurred_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** LIKE treats `_` (in `api_key.`) and `%` as wildcards: a prefix must match only itself. */
function likePrefix(prefix: string): string {
  return `${prefix.replace(/[\\%_]/g, (character) => `\\${character}`)}%`;
}

/**
 * The audit log (`audit_events`). Only appends and reads: the table refuses UPDATE and DELETE
 * itself, so this class has no way to change history and must never grow one.
 */
export class AuditEventRepository {
  constructor(private readonly dataSource: DataSource) {}

  async append(event: NewAuditEvent): Promise<AuditEvent> {
    const rows = await queryRows(
      this.dataSource,
      `INSERT INTO audit_events (account_id, action, outcome, actor_kind, actor_api_key_id,
         actor_api_key_name, client_ip, target_type, target_id, changes, detail)
       VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10::jsonb, $11) RETURNING *`,
      [
        event.accountId,
        event.action,
        event.outcome,
        event.actor.kind,
        event.actor.apiKeyId,
        event.actor.apiKeyName,
        event.clientIp,
        event.target?.type ?? null,
        event.target?.id ?? null,
        event.changes === null ? null : JSON.stringify(event.changes),
        event.detail,
      ],
    );
    return toAuditEvent(rows[0]!);
  }

  /** One page, newest first, served by the (account, [action,] occurred_at, id) indexes. */
  async list(filter: AuditEventFilter): Promise<AuditEventPage> {
    const p = new SqlParameters();
    const conditions: string[] = [];
    if (filter.accountId !== undefined) conditions.push(`account_id = ${p.add(filter.accountId)}`);
    if (filter.action !== undefined) {
      conditions.push(
        filter.action.endsWith('.')
          ? `action LIKE ${p.add(likePrefix(filter.action))}`
          : `action = ${p.add(filter.action)}`,
      );
    }
    if (filter.from) conditions.push(`occurred_at >= ${p.add(filter.from)}`);
    if (filter.to) conditions.push(`occurred_at < ${p.add(filter.to)}`);
    if (filter.after) {
      conditions.push(
        `(occurred_at, id) < (${p.add(filter.after.createdAt)}::timestamptz, ${p.add(filter.after.id)}::uuid)`,
      );
    }
    const rows = await queryRows(
      this.dataSource,
      `SELECT *, ${EXACT_OCCURRED_AT} AS cursor_occurred_at FROM audit_events
        ${conditions.length > 0 ? `WHERE ${conditions.join(' AND ')}` : ''}
        ORDER BY occurred_at DESC, id DESC LIMIT ${p.add(filter.limit + 1)}`,
      p.values,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      events: page.map(toAuditEvent),
      next:
        rows.length > filter.limit && last
          ? { createdAt: String(last.cursor_occurred_at), id: String(last.id) }
          : null,
    };
  }
}

function nullableText(value: unknown): string | null {
  return typeof value === 'string' ? value : null;
}

function toTarget(row: Row): AuditTarget | null {
  const type = row.target_type;
  const id = row.target_id;
  if (typeof id !== 'string') return null;
  const known = AUDIT_TARGET_TYPES.find((candidate) => candidate === type);
  if (!known) throw new Error(`Unknown audit target type ${String(type)}`);
  return { type: known, id };
}

function toAuditEvent(row: Row): AuditEvent {
  if (!isAuditAction(row.action)) throw new Error(`Unknown audit action ${String(row.action)}`);
  if (!(row.occurred_at instanceof Date)) throw new Error('Column occurred_at is not a timestamp');
  return {
    id: String(row.id),
    accountId: nullableText(row.account_id),
    occurredAt: row.occurred_at,
    action: row.action,
    outcome: row.outcome === 'refused' ? 'refused' : 'succeeded',
    actor: {
      kind: row.actor_kind === 'cli' || row.actor_kind === 'system' ? row.actor_kind : 'api_key',
      apiKeyId: nullableText(row.actor_api_key_id),
      apiKeyName: nullableText(row.actor_api_key_name),
    },
    clientIp: nullableText(row.client_ip),
    target: toTarget(row),
    changes: (row.changes ?? null) as AuditChanges | null,
    detail: nullableText(row.detail),
  };
}

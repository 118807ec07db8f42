import { MESSAGE_TRANSITIONS, PENDING_STATUSES, type Message, type MessageEvent } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { MessageCursor, MessageFilter } from './message-filter';
import { statusList } from './message-transition.sql';
import { EXACT_CREATED_AT } from './page-cursor';
import { queryRows } from './query-rows';
import { toMessage, toMessageEvent } from './row-mappers';
import { SqlParameters } from './sql-parameters';

/** Reading messages and their timelines: single messages, pages of an instance's log, the backlog. */
export class MessageQueryRepository {
  constructor(private readonly dataSource: DataSource) {}

  async findById(id: string): Promise<Message | null> {
    const rows = await queryRows(this.dataSource, 'SELECT * FROM messages WHERE id = $1', [id]);
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /** The message only if it belongs to the account: other accounts' ids look like missing ones. */
  async findForAccount(accountId: string, id: string): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      'SELECT * FROM messages WHERE id = $1 AND account_id = $2',
      [id, accountId],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }

  /**
   * One page of an instance's messages, newest first. Each filter is served by an index led by the
   * instance and ending in the page order, so pages stay fast however many rows there are.
   *
   * @returns up to `limit` messages and whether more follow.
   */
  async list(filter: MessageFilter): Promise<{ messages: Message[]; next: MessageCursor | null }> {
    const parameters = new SqlParameters();
    const conditions = [
      `account_id = ${parameters.add(filter.accountId)}`,
      `instance_id = ${parameters.add(filter.instanceId)}`,
      `direction = ANY(${parameters.add(filter.visibleDirections)}::text[])`,
    ];
    if (filter.direction) conditions.push(`direction = ${parameters.add(filter.direction)}`);
    if (filter.status) conditions.push(`status = ${parameters.add(filter.status)}`);
    if (filter.messageType) conditions.push(`message_type = ${parameters.add(filter.messageType)}`);
    if (filter.reasonCode) conditions.push(`reason_code = ${parameters.add(filter.reasonCode)}`);
    if (filter.invoiceId) conditions.push(`invoice_id = ${parameters.add(filter.invoiceId)}`);
    if (filter.phoneNumber) conditions.push(`phone_number = ${parameters.add(filter.phoneNumber)}`);
    if (filter.from) conditions.push(`created_at >= ${parameters.add(filter.from)}`);
    if (filter.to) conditions.push(`created_at < ${parameters.add(filter.to)}`);
    if (filter.after) {
      conditions.push(
        `(created_at, id) < (${parameters.add(filter.after.createdAt)}::timestamptz, ${parameters.add(filter.after.id)}::uuid)`,
      );
    }
    const rows = await queryRows(
      this.dataSource,
      `SELECT *, ${EXACT_CREATED_AT} AS cursor_created_at FROM messages WHERE ${conditions.join(' AND ')}
       ORDER BY created_at DESC, id DESC LIMIT ${parameters.add(filter.limit + 1)}`,
      parameters.values,
    );
    const page = rows.slice(0, filter.limit);
    const last = page[page.length - 1];
    return {
      messages: page.map(toMessage),
      next:
        rows.length > filter.limit && last
          ? { createdAt: String(last.cursor_created_at), id: String(last.id) }
          : null,
    };
  }

  /**
   * A message's timeline. An outgoing message's first event, `accepted`, is its row (it was stored
   * queued, or scheduled when it had a `send_at`, when it was created) rather than a row of
   * message_events: accepting writes one row per message fewer. Its id is 0, before every stored
   * event. Rows of that type stored before it was derived are left out, not shown twice.
   */
  async listEvents(messageId: string): Promise<MessageEvent[]> {
    const { accept, acceptScheduled } = MESSAGE_TRANSITIONS;
    const rows = await queryRows(
      this.dataSource,
      `SELECT 0::bigint AS id, m.id AS message_id, $2::text AS type,
              CASE WHEN m.send_at IS NULL THEN $3 ELSE $4 END::text AS status,
              'To be sent at ' || to_char(m.send_at AT TIME ZONE 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS"Z"') AS detail,
              m.created_at
       FROM messages m WHERE m.id = $1 AND m.direction = 'outgoing'
       UNION ALL
       SELECT e.id, e.message_id, e.type, e.status, e.detail, e.created_at
       FROM message_events e WHERE e.message_id = $1 AND e.type <> $2
       ORDER BY id`,
      [messageId, accept.event, accept.to, acceptScheduled.to],
    );
    return rows.map(toMessageEvent);
  }

  /**
   * Messages still to send, per instance: the backlog autoscalers read. The status list is spelt out
   * so the planner matches the partial index on it.
   */
  async backlogByInstance(): Promise<Record<string, number>> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT instance_id, count(*)::int AS n FROM messages WHERE status IN (${statusList(PENDING_STATUSES)}) GROUP BY instance_id`,
    );
    return Object.fromEntries(rows.map((row) => [String(row.instance_id), Number(row.n)]));
  }
}

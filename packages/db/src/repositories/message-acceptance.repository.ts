import {
  MESSAGE_TRANSITIONS,
  renderNotification,
  type Message,
  type MessageStatus,
  type NotificationType,
  type WebhookEventType,
} from '@telenexus/core';
import type { DataSource } from 'typeorm';
import { acceptStatement } from './accept-statement.sql';
import { admissionColumns, toAdmissionFacts } from './admission-read.sql';
import { BATCH_BY_STATUS_SQL, toBatchSummary, type BatchSummary } from './batch-query.repository';
import type {
  AcceptanceResult,
  AcceptedMessage,
  AdmissionFacts,
  AdmissionQuery,
  OutgoingAcceptance,
  OutgoingItem,
} from './outgoing-acceptance';
import { queryRows } from './query-rows';
import { toMessage, type Row } from './row-mappers';
import { SqlParameters } from './sql-parameters';
import { announceReply } from '../status-webhooks/reply-announcement.sql';

const REPLY_EVENT: WebhookEventType = 'message.received';

/** An outgoing billing notification, stored as is (no dedupe): for tools and tests. */
export interface NewOutgoingMessage {
  readonly accountId: string;
  readonly instanceId: string;
  readonly phoneNumber: string;
  readonly customerName: string;
  /** Decimal text, stored in `numeric` as is. */
  readonly amount: string;
  readonly currency: string;
  readonly invoiceId: string;
  readonly dueDate: string | null;
  readonly messageType: NotificationType;
  readonly expiresAt?: Date | null;
}

/** A customer's message to the ISP's number, as Evolution reported it. */
export interface NewIncomingMessage {
  readonly accountId: string;
  readonly instanceId: string;
  readonly phoneNumber: string;
  readonly senderName: string | null;
  readonly text: string | null;
  readonly providerMessageId: string;
}

/** Storing what comes in: billing systems' notifications (one or a batch) and customers' replies. */
export class MessageAcceptanceRepository {
  constructor(private readonly dataSource: DataSource) {}

  /**
   * Stores a send request — one notification or a whole batch — in one statement: the batch row,
   * each new message as `queued` with its `accepted` event, and, for each confirmation, the
   * cancellation of the invoice's reminders: those still queued from before, and those of this very
   * request (stored already `canceled`). Every cancellation is announced (`message.canceled`) to
   * the account's subscribed webhook endpoints in the same statement, and so is each message queued
   * (`message.queued`) to the endpoints that opted in to it.
   *
   * Items matching a message accepted within the dedupe window are not stored again; they come back
   * under `existing`. Unless that message ended unsent (RESUBMITTABLE_STATUSES): then the item is a
   * new message, and both timelines get a `resubmitted` event naming the other.
   *
   * The dedupe row is claimed with an upsert, which sees rows other transactions committed since
   * this statement began: two identical requests at the same moment store one message.
   */
  async acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult> {
    const [result] = await this.acceptOutgoingMany([request]);
    return result!;
  }

  /**
   * Stores several send requests, of different instances, in one statement, as
   * {@link acceptOutgoing} stores each: one result per request, in order. Only a lone request may
   * create a batch. The statement commits or fails whole.
   */
  async acceptOutgoingMany(requests: readonly OutgoingAcceptance[]): Promise<AcceptanceResult[]> {
    const { sql, values } = acceptStatement(requests);
    // Planning this statement costs about as much as running it; its text takes a few shapes.
    const rows = await queryRows(this.dataSource, sql, values, { prepare: true });
    return this.collectAcceptances(requests, rows);
  }

  /** What a send request is admitted against, in one statement (see {@link admissionColumns}). */
  async readAdmission(query: AdmissionQuery): Promise<AdmissionFacts> {
    const [facts] = await this.readAdmissions([query]);
    return facts!;
  }

  /** Several admission reads (of any accounts and instances) in one statement, each as {@link readAdmission}. */
  async readAdmissions(queries: readonly AdmissionQuery[]): Promise<AdmissionFacts[]> {
    const p = new SqlParameters();
    const reads = queries.map((query, ord) => `SELECT ${ord} AS ord, ${admissionColumns(query, p)}`);
    const rows = await queryRows(
      this.dataSource,
      reads.join('\nUNION ALL\n'),
      p.values,
      // Not prepared: a generic plan, made while the tables were small, counts through another
      // partial index of queued messages (the sweeper's), so reads every queued message of the
      // table each time (20,230 buffers with 20,000 queued). Planned each time, each count reads
      // its own index; planning costs a few tenths of a millisecond.
    );
    const byOrd = new Map(rows.map((row) => [Number(row.ord), row]));
    return queries.map((_, ord) => toAdmissionFacts(byOrd.get(ord)));
  }

  /**
   * Writes one message as `queued` (no dedupe, no batch), its text rendered as ingress renders it:
   * for tools and tests that need a message.
   */
  async insertOutgoing(message: NewOutgoingMessage): Promise<Message> {
    const item = {
      ...message,
      index: 0,
      text: renderNotification(message),
      expiresAt: message.expiresAt ?? null,
      dedupeKey: Buffer.alloc(32),
    };
    const result = await this.acceptOutgoing({
      accountId: message.accountId,
      instanceId: message.instanceId,
      dedupeWindowMs: 0,
      items: [item],
    });
    const rows = await queryRows(this.dataSource, 'SELECT * FROM messages WHERE id = $1', [
      result.created.get(0)!.id,
    ]);
    return toMessage(rows[0]!);
  }

  /** Sets the batch's accepted and rejected counts once dedupe conflicts are known. */
  async recordBatchCounts(batchId: string, accepted: number, rejected: number): Promise<void> {
    await queryRows(this.dataSource, 'UPDATE batches SET accepted = $2, rejected = $3 WHERE id = $1', [
      batchId,
      accepted,
      rejected,
    ]);
  }

  /** A batch of the account with its counts and how many of its messages are in each status. */
  async findBatch(accountId: string, batchId: string): Promise<BatchSummary | null> {
    const rows = await queryRows(
      this.dataSource,
      `SELECT b.*, ${BATCH_BY_STATUS_SQL} FROM batches b WHERE b.id = $1 AND b.account_id = $2`,
      [batchId, accountId],
    );
    return rows[0] ? toBatchSummary(rows[0]) : null;
  }

  /** Each request's rows as its result; items stored by an earlier request come back as theirs. */
  private async collectAcceptances(
    requests: readonly OutgoingAcceptance[],
    rows: Row[],
  ): Promise<AcceptanceResult[]> {
    const results = requests.map(() => ({
      batchId: null as string | null,
      created: new Map<number, AcceptedMessage>(),
      existing: new Map<number, Message>(),
      supersededIds: [] as string[],
    }));
    const unclaimed: { req: number; index: number; key: string }[] = [];
    // Each request's items by index, made only once one of its rows comes back unclaimed.
    const itemsByIndex = new Map<number, Map<number, OutgoingItem>>();
    const itemOf = (req: number, index: number): OutgoingItem => {
      let items = itemsByIndex.get(req);
      if (!items) {
        items = new Map(requests[req]!.items.map((item) => [item.index, item]));
        itemsByIndex.set(req, items);
      }
      return items.get(index)!;
    };
    for (const row of rows) {
      const req = Number(row.req);
      const result = results[req]!;
      result.batchId ??= typeof row.new_batch_id === 'string' ? row.new_batch_id : null;
      if (Array.isArray(row.superseded_ids) && result.supersededIds.length === 0)
        result.supersededIds = row.superseded_ids as string[];
      const index = Number(row.idx);
      if (row.id !== null) {
        result.created.set(index, { id: row.id as string, status: row.status as MessageStatus });
        continue;
      }
      unclaimed.push({ req, index, key: itemOf(req, index).dedupeKey.toString('hex') });
    }
    if (unclaimed.length > 0) {
      // A separate statement: the rows other requests committed are visible here.
      const found = await queryRows(
        this.dataSource,
        `SELECT encode(d.key, 'hex') AS dedupe_key, m.* FROM dedupe_keys d JOIN messages m ON m.id = d.message_id
         WHERE d.key = ANY($1::bytea[])`,
        [unclaimed.map(({ key }) => Buffer.from(key, 'hex'))],
      );
      const byKey = new Map(found.map((row) => [String(row.dedupe_key), toMessage(row)]));
      for (const { req, index, key } of unclaimed) {
        const message = byKey.get(key);
        if (message) results[req]!.existing.set(index, message);
      }
    }
    return results;
  }

  /**
   * Stores a customer's message once: Evolution may post the same `messages.upsert` twice. Each
   * message stored is announced (`message.received`) to the account's subscribed endpoints in the
   * same statement; a repeat stores and announces nothing.
   *
   * @returns the stored message, or null when it was already stored.
   */
  async insertIncoming(message: NewIncomingMessage): Promise<Message | null> {
    const rows = await queryRows(
      this.dataSource,
      `WITH inserted AS (
         INSERT INTO messages (account_id, instance_id, direction, phone_number, customer_name, body, status,
                               provider_message_id)
         VALUES ($1, $2, 'incoming', $3, $4, $5, $7, $6)
         ON CONFLICT (instance_id, provider_message_id) WHERE provider_message_id IS NOT NULL DO NOTHING
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, $8, $7 FROM inserted
       ), ${announceReply('$9')}
       SELECT * FROM inserted`,
      [
        message.accountId,
        message.instanceId,
        message.phoneNumber,
        message.senderName,
        message.text,
        message.providerMessageId,
        MESSAGE_TRANSITIONS.receive.to,
        MESSAGE_TRANSITIONS.receive.event,
        REPLY_EVENT,
      ],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }
}

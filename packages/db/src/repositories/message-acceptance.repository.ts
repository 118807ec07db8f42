import { MESSAGE_TRANSITIONS, type Message, type MessageType } from '@telenexus/core';
import type { DataSource } from 'typeorm';
import type { AcceptanceResult, OutgoingAcceptance } from './outgoing-acceptance';
import { queryRows } from './query-rows';
import { toMessage, type Row } from './row-mappers';

/** A batch as `GET /billing/batches/:id` reports it. */
export interface BatchSummary {
  readonly id: string;
  readonly instanceId: string;
  readonly itemCount: number;
  readonly accepted: number;
  readonly rejected: number;
  /** How many of the messages this batch created are in each status now. */
  readonly byStatus: Readonly<Record<string, number>>;
  readonly createdAt: Date;
}

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
  readonly messageType: MessageType;
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
   * cancellation of the invoice's reminders still queued. Items matching a message accepted within
   * the dedupe window are not stored again; they come back under `existing`.
   *
   * The dedupe row is claimed with an upsert, which sees rows other transactions committed since
   * this statement began: two identical requests at the same moment store one message.
   */
  async acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult> {
    const input = request.items.map((item) => ({
      idx: item.index,
      dedupe_key: item.dedupeKey.toString('hex'),
      phone_number: item.phoneNumber,
      customer_name: item.customerName,
      amount: item.amount,
      currency: item.currency,
      invoice_id: item.invoiceId,
      due_date: item.dueDate,
      message_type: item.messageType,
      expires_at: item.expiresAt?.toISOString() ?? null,
    }));
    const deduping = request.dedupeWindowMs > 0;
    // Only a confirmation supersedes anything; without one the step (and its scan) is left out.
    const confirmations = [
      ...new Set(
        request.items.filter((item) => item.messageType === 'confirmation').map((item) => item.invoiceId),
      ),
    ];
    const { accept, supersede } = MESSAGE_TRANSITIONS;
    // With dedupe off a request may hold the same notification twice: match claims by position.
    const matchClaim = deduping ? 'USING (dedupe_key)' : 'ON claimed.idx = input.idx';
    const rows = await queryRows(
      this.dataSource,
      `WITH input AS (
         SELECT * FROM jsonb_to_recordset($1::jsonb) AS x(
           idx int, dedupe_key text, phone_number text, customer_name text, amount numeric, currency text,
           invoice_id text, due_date date, message_type text, expires_at timestamptz)
       ), batch AS (
         INSERT INTO batches (account_id, instance_id, item_count, accepted, rejected)
         SELECT $2, $3, $5::int, 0, $6::int WHERE $4::boolean
         RETURNING id
       ), claimed AS (
         ${
           deduping
             ? `INSERT INTO dedupe_keys (key, message_id, expires_at)
                SELECT decode(dedupe_key, 'hex'), gen_random_uuid(), now() + ($7::bigint * interval '1 millisecond')
                FROM input
                ON CONFLICT (key) DO UPDATE SET message_id = EXCLUDED.message_id, expires_at = EXCLUDED.expires_at
                  WHERE dedupe_keys.expires_at < now()
                RETURNING encode(key, 'hex') AS dedupe_key, message_id`
             : `SELECT idx, dedupe_key, gen_random_uuid() AS message_id FROM input WHERE $7::bigint = 0`
         }
       ), inserted AS (
         INSERT INTO messages (id, account_id, instance_id, direction, phone_number, customer_name, amount, currency,
                               invoice_id, due_date, message_type, status, expires_at, batch_id)
         SELECT claimed.message_id, $2, $3, 'outgoing', input.phone_number, input.customer_name, input.amount,
                input.currency, input.invoice_id, input.due_date, input.message_type, $8, input.expires_at,
                (SELECT id FROM batch)
         FROM input JOIN claimed ${matchClaim}
         RETURNING *
       ), logged AS (
         INSERT INTO message_events (message_id, type, status) SELECT id, $9, $8 FROM inserted
       )${
         confirmations.length > 0
           ? `, superseded AS (
         UPDATE messages earlier SET status = $12, updated_at = now(), next_attempt_at = NULL
         FROM inserted confirmation
         WHERE confirmation.message_type = 'confirmation'
           AND earlier.account_id = $2 AND earlier.instance_id = $3 AND earlier.status = ANY($11::text[])
           AND earlier.invoice_id = ANY($10::text[]) AND earlier.invoice_id = confirmation.invoice_id
           AND earlier.message_type IN ('payment_reminder', 'invoice', 'overdue')
         RETURNING earlier.id, confirmation.id AS confirmation_id
       ), superseded_logged AS (
         INSERT INTO message_events (message_id, type, status, detail)
         SELECT id, $13, $12, 'Superseded by payment confirmation ' || confirmation_id FROM superseded
       )`
           : ''
       }
       SELECT input.idx, inserted.*, (SELECT id FROM batch) AS new_batch_id
       FROM input LEFT JOIN claimed ${matchClaim} LEFT JOIN inserted ON inserted.id = claimed.message_id`,
      [
        JSON.stringify(input),
        request.accountId,
        request.instanceId,
        request.batch !== undefined,
        request.batch?.itemCount ?? 0,
        request.batch?.rejected ?? 0,
        deduping ? request.dedupeWindowMs : 0,
        accept.to,
        accept.event,
        ...(confirmations.length > 0 ? [confirmations, supersede.from, supersede.to, supersede.event] : []),
      ],
    );
    return this.collectAcceptance(request, rows);
  }

  /** Writes one message as `queued` (no dedupe, no batch): for tools and tests that need a message. */
  async insertOutgoing(message: NewOutgoingMessage): Promise<Message> {
    const result = await this.acceptOutgoing({
      accountId: message.accountId,
      instanceId: message.instanceId,
      dedupeWindowMs: 0,
      items: [{ ...message, index: 0, expiresAt: message.expiresAt ?? null, dedupeKey: Buffer.alloc(32) }],
    });
    return result.created.get(0)!;
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
      `SELECT b.*, coalesce((SELECT json_object_agg(status, n) FROM (
           SELECT status, count(*)::int AS n FROM messages WHERE batch_id = b.id GROUP BY status) s), '{}') AS by_status
       FROM batches b WHERE b.id = $1 AND b.account_id = $2`,
      [batchId, accountId],
    );
    const row = rows[0];
    if (!row) return null;
    return {
      id: String(row.id),
      instanceId: String(row.instance_id),
      itemCount: Number(row.item_count),
      accepted: Number(row.accepted),
      rejected: Number(row.rejected),
      byStatus: row.by_status as Record<string, number>,
      createdAt: row.created_at as Date,
    };
  }

  private async collectAcceptance(request: OutgoingAcceptance, rows: Row[]): Promise<AcceptanceResult> {
    const created = new Map<number, Message>();
    const unclaimed: number[] = [];
    let batchId: string | null = null;
    for (const row of rows) {
      batchId ??= typeof row.new_batch_id === 'string' ? row.new_batch_id : null;
      if (row.id === null) unclaimed.push(Number(row.idx));
      else created.set(Number(row.idx), toMessage(row));
    }
    const existing = new Map<number, Message>();
    if (unclaimed.length > 0) {
      // A separate statement: the rows other requests committed are visible here.
      const byIndex = new Map(request.items.map((item) => [item.index, item.dedupeKey.toString('hex')]));
      const found = await queryRows(
        this.dataSource,
        `SELECT encode(d.key, 'hex') AS dedupe_key, m.* FROM dedupe_keys d JOIN messages m ON m.id = d.message_id
         WHERE d.key = ANY($1::bytea[])`,
        [unclaimed.map((index) => Buffer.from(byIndex.get(index)!, 'hex'))],
      );
      const byKey = new Map(found.map((row) => [String(row.dedupe_key), toMessage(row)]));
      for (const index of unclaimed) {
        const message = byKey.get(byIndex.get(index)!);
        if (message) existing.set(index, message);
      }
    }
    return { batchId, created, existing };
  }

  /**
   * Stores a customer's message once: Evolution may post the same `messages.upsert` twice.
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
       )
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
      ],
    );
    return rows[0] ? toMessage(rows[0]) : null;
  }
}

import {
  amountToDecimalString,
  dedupeKey,
  defaultExpiry,
  normalizePhoneNumber,
  type Instance,
  type Message,
  type Principal,
} from '@telenexus/core';
import type { AcceptanceResult, OutgoingAcceptance, OutgoingItem } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import type { NotificationBody } from './notification-body.schema';

export interface AcceptanceStore {
  acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult>;
  recordBatchCounts(batchId: string, accepted: number, rejected: number): Promise<void>;
}

export interface BulkEnqueuer {
  enqueueSends(messageIds: readonly string[]): Promise<void>;
}

/** The outcome for one notification of a request. */
export type ItemResult =
  /** Stored now, or (`replayed`) the same notification was already accepted: its original answer. */
  | {
      readonly index: number;
      readonly success: true;
      readonly messageId: string;
      readonly invoiceId: string;
      readonly replayed: boolean;
    }
  /** Refused: invalid (`field` names what), or (`conflictingMessageId`) accepted before with other details. */
  | {
      readonly index: number;
      readonly success: false;
      readonly detail: string;
      readonly field?: string;
      readonly conflictingMessageId?: string;
    };

/** A notification of the request: validated, or refused with a reason naming the field. */
export type RequestItem =
  | { readonly index: number; readonly body: NotificationBody }
  | { readonly index: number; readonly problem: string };

export interface AcceptanceOptions {
  /** 0 turns the natural dedupe off. */
  readonly dedupeWindowMs: number;
  readonly now?: () => number;
}

/**
 * Accepts the notifications of one request for one instance, whatever their number: normalises the
 * numbers for the instance's country, recognises notifications already accepted within the dedupe
 * window (the same one again answers as before; the same one with another amount or due date is a
 * conflict), stores the rest in one statement and enqueues them in one call.
 *
 * "200 means durable": results are returned only after the commit; a failed enqueue is logged and
 * left to the dispatcher's sweeper.
 */
export class AcceptNotifications {
  private readonly now: () => number;

  constructor(
    private readonly messages: AcceptanceStore,
    private readonly queue: BulkEnqueuer,
    private readonly logger: Logger,
    private readonly options: AcceptanceOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async execute(
    principal: Principal,
    instance: Instance,
    items: readonly RequestItem[],
    batch: boolean,
  ): Promise<{ batchId: string | null; results: ItemResult[] }> {
    const results = new Map<number, ItemResult>();
    const storable: { item: OutgoingItem; body: NotificationBody }[] = [];
    const firstByKey = new Map<string, { index: number; body: NotificationBody }>();
    const repeats: { index: number; body: NotificationBody; of: number }[] = [];

    for (const entry of items) {
      if ('problem' in entry) {
        results.set(entry.index, { index: entry.index, success: false, detail: entry.problem });
        continue;
      }
      const phone = normalizePhoneNumber(entry.body.phone_number, instance.country ?? undefined);
      if (!phone.ok) {
        results.set(entry.index, {
          index: entry.index,
          success: false,
          field: 'phone_number',
          detail: `phone_number: ${phone.problem}`,
        });
        continue;
      }
      const body = entry.body;
      const key = dedupeKey({
        accountId: principal.accountId,
        instanceId: instance.id,
        invoiceId: body.invoice_id,
        messageType: body.message_type,
        phoneNumber: phone.digits,
      });
      // The same notification twice in one request is one message; the second answers like a retry.
      const first = firstByKey.get(key.toString('hex'));
      if (first && this.options.dedupeWindowMs > 0) {
        repeats.push({ index: entry.index, body, of: first.index });
        continue;
      }
      firstByKey.set(key.toString('hex'), { index: entry.index, body });
      storable.push({
        body,
        item: {
          index: entry.index,
          phoneNumber: phone.digits,
          customerName: body.customer_name,
          amount: amountToDecimalString(body.amount),
          currency: body.currency,
          invoiceId: body.invoice_id,
          dueDate: body.due_date,
          messageType: body.message_type,
          expiresAt:
            body.expires_at ?? defaultExpiry(body.message_type, this.now(), body.due_date, instance.timezone),
          dedupeKey: key,
        },
      });
    }

    const rejectedUpFront = results.size; // counted into the batch row; conflicts are added after
    const stored =
      storable.length > 0 || batch
        ? await this.messages.acceptOutgoing({
            accountId: principal.accountId,
            instanceId: instance.id,
            items: storable.map(({ item }) => item),
            dedupeWindowMs: this.options.dedupeWindowMs,
            ...(batch ? { batch: { itemCount: items.length, rejected: rejectedUpFront } } : {}),
          })
        : { batchId: null, created: new Map<number, Message>(), existing: new Map<number, Message>() };

    for (const { item, body } of storable) {
      const created = stored.created.get(item.index);
      const existing = stored.existing.get(item.index);
      if (created) results.set(item.index, success(item.index, created, body, false));
      else if (existing) results.set(item.index, compareWithEarlier(item.index, body, existing));
      else
        results.set(item.index, {
          index: item.index,
          success: false,
          detail: 'Could not be stored; please retry',
        });
    }
    for (const repeat of repeats) {
      const original = results.get(repeat.of);
      results.set(repeat.index, repeatOf(repeat.index, repeat.body, original, storable, repeat.of));
    }

    const ordered = [...results.values()].sort((a, b) => a.index - b.index);
    if (stored.batchId) {
      const accepted = ordered.filter((result) => result.success).length;
      await this.messages.recordBatchCounts(stored.batchId, accepted, ordered.length - accepted);
    }
    await this.enqueue([...stored.created.values()].map((message) => message.id));
    return { batchId: stored.batchId, results: ordered };
  }

  private async enqueue(messageIds: string[]): Promise<void> {
    if (messageIds.length === 0) return;
    try {
      await this.queue.enqueueSends(messageIds);
    } catch (error) {
      this.logger.warn('messages committed but not enqueued; the sweeper will enqueue them', {
        count: messageIds.length,
        messageIds: messageIds.slice(0, 20),
        error,
      });
    }
  }
}

function success(index: number, message: Message, body: NotificationBody, replayed: boolean): ItemResult {
  return { index, success: true, messageId: message.id, invoiceId: body.invoice_id, replayed };
}

/**
 * A notification already accepted within the window: the same one again gets the original answer;
 * one that differs in what the customer is told (amount, currency, due date, name) is a conflict.
 */
function compareWithEarlier(index: number, body: NotificationBody, earlier: Message): ItemResult {
  const changed: string[] = [];
  if (
    earlier.amount === null ||
    Number(earlier.amount) !== body.amount ||
    earlier.currency !== body.currency
  ) {
    changed.push('amount');
  }
  if ((earlier.dueDate ?? null) !== body.due_date) changed.push('due date');
  if (earlier.customerName !== body.customer_name) changed.push('customer name');
  if (changed.length === 0) return success(index, earlier, body, true);
  return {
    index,
    success: false,
    conflictingMessageId: earlier.id,
    detail:
      `The ${body.message_type} notification for invoice ${body.invoice_id} to this number was already accepted ` +
      `(message_id ${earlier.id}) with a different ${changed.join(' and ')}`,
  };
}

function repeatOf(
  index: number,
  body: NotificationBody,
  original: ItemResult | undefined,
  storable: readonly { item: OutgoingItem; body: NotificationBody }[],
  originalIndex: number,
): ItemResult {
  if (!original || !original.success) {
    return original
      ? { ...original, index }
      : { index, success: false, detail: 'Could not be stored; please retry' };
  }
  const originalBody = storable.find(({ item }) => item.index === originalIndex)?.body;
  const same =
    originalBody &&
    originalBody.amount === body.amount &&
    originalBody.currency === body.currency &&
    originalBody.due_date === body.due_date &&
    originalBody.customer_name === body.customer_name;
  return same
    ? { index, success: true, messageId: original.messageId, invoiceId: body.invoice_id, replayed: true }
    : {
        index,
        success: false,
        conflictingMessageId: original.messageId,
        detail: `Item ${originalIndex} of this batch is the same ${body.message_type} for invoice ${body.invoice_id} with different details`,
      };
}

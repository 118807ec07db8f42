import {
  dedupeKey,
  defaultExpiry,
  DomainError,
  estimateSendTimes,
  IDLE_PACER,
  isPaced,
  GUIDE_WORDING,
  characterCount,
  MAX_TEXT_MESSAGE_CHARACTERS,
  normalizePhoneNumber,
  wordNotification,
  type AccountWording,
  reservationDays,
  SUPERSEDED_BY_CONFIRMATION,
  type Instance,
  type Message,
  type PacerPosition,
  type Principal,
  type SendPace,
} from '@telenexus/core';
import type {
  AcceptanceResult,
  AcceptedMessage,
  AdmissionFacts,
  AdmissionQuery,
  OutgoingAcceptance,
  OutgoingItem,
} from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import {
  pacingPolicyOf,
  reserveInstanceSlots,
  SLOT_TOLERANCE_MS,
  slotReason,
  type PacerReading,
  type PacingPolicy,
  type QueuedSend,
  type SlotReserver,
} from '@telenexus/queue';
import { KnownQueueCounts } from './known-queue-counts';
import { giveBackSlots, withdrawSends } from './withdrawn-sends';
import { notificationContent } from './notification-content';
import type { WordingReader } from './cached-account-wording';
import { isTextBody, type SendBody } from './text-body';

export interface AcceptanceStore {
  readAdmission(query: AdmissionQuery): Promise<AdmissionFacts>;
  acceptOutgoing(request: OutgoingAcceptance): Promise<AcceptanceResult>;
  recordBatchCounts(batchId: string, accepted: number, rejected: number): Promise<void>;
}

export interface BulkEnqueuer {
  enqueueSendsWithSlots(sends: readonly QueuedSend[]): Promise<void>;
  withdrawSends(messageIds: readonly string[]): Promise<QueuedSend[]>;
}

/**
 * An instance's pacer (Redis): where it stands, for estimates; its slots, reserved for the messages
 * accepted; and slots given back (canceled messages, or reserved for messages not stored).
 */
export interface PaceReader extends SlotReserver {
  readPosition(
    instanceId: string,
    policy: PacingPolicy,
    days: readonly string[],
    nowMs: number,
  ): Promise<PacerReading>;
  giveBack(instanceId: string, slotMs: number, day: string, nowMs: number): Promise<void>;
}

/** Why a notification of a request was refused. */
export type RefusalCode = 'validation_failed' | 'conflict' | 'would_expire';

/** The outcome for one notification of a request. */
export type ItemResult =
  /** Stored now, or (`replayed`) the same notification was already accepted: its original answer. */
  | {
      readonly index: number;
      readonly success: true;
      readonly messageId: string;
      /** The notification's invoice; null for a `text` message. */
      readonly invoiceId: string | null;
      readonly replayed: boolean;
      /** When it is estimated to go out; absent for replays and for messages that will not go out. */
      readonly scheduledFor?: Date;
      /** A confirmation of the same request made it pointless: it is stored `canceled`, never sent. */
      readonly supersededBy?: string;
    }
  /** Refused: invalid (`field` names what), accepted before with other details, or too late to send. */
  | {
      readonly index: number;
      readonly success: false;
      readonly code: RefusalCode;
      readonly detail: string;
      readonly field?: string;
      readonly conflictingMessageId?: string;
    };

/** What a request came to: each notification's result, and when its new messages should be out. */
export interface AcceptanceOutcome {
  readonly batchId: string | null;
  readonly results: ItemResult[];
  /** The latest estimated send time of the messages stored now; null when none will be sent. */
  readonly estimatedFinish: Date | null;
  /** When the request was taken in: estimates after it mean waiting. */
  readonly acceptedAt: Date;
}

/** A notification (or text) of the request: validated, or refused with a reason naming the field. */
export type RequestItem =
  { readonly index: number; readonly body: SendBody } | { readonly index: number; readonly problem: string };

export interface AcceptanceOptions {
  /** 0 turns the natural dedupe off. */
  readonly dedupeWindowMs: number;
  /** Most messages an account may have queued; 0 for no limit. */
  readonly queueLimitPerAccount: number;
  /** What this process knows of each account's queue, between counts (one per process by default). */
  readonly queueCounts?: KnownQueueCounts;
  /** How each account words its notifications; without it every notification gets the guide's texts. */
  readonly wording?: WordingReader;
  readonly now?: () => number;
}

/** Bounds of the Retry-After of a request refused for the account's queue limit. */
const QUEUE_LIMIT_RETRY_AFTER_SECONDS = { min: 5, max: 24 * 3600 } as const;

interface Storable {
  readonly item: OutgoingItem;
  readonly body: SendBody;
  readonly expiresAt: Date;
}

/** Where each new message of a request would go in the instance's queue. */
interface Placement {
  /** Estimated send times of the messages that will queue, by index. */
  readonly scheduled: Map<number, number>;
  /** The `send_at` of the messages that will wait as `scheduled` (no slot, no estimate), by index. */
  readonly waiting: Map<number, number>;
  /** Items that could only be sent after their expiry, with the estimate (null: none found). */
  readonly tooLate: Map<number, number | null>;
  /** Estimates left over, for a message stored although it was expected to replay. */
  readonly spare: number[];
  /**
   * Whether `scheduled` holds the pacing slots reserved for the messages placed, rather than
   * estimates (see {@link AcceptNotifications.place}).
   */
  readonly reserved: boolean;
}

const hex = (item: OutgoingItem): string => item.dedupeKey.toString('hex');

/**
 * Accepts the notifications of one request for one instance, whatever their number: normalises the
 * numbers for the instance's country, recognises notifications already accepted within the dedupe
 * window (the same one again answers as before, unless the earlier one ended unsent; the same one
 * with another amount or due date is a conflict), estimates when each new message will go out from
 * the instance's pace, backlog, quiet hours and daily cap (refusing those that would only go out
 * after their expiry), holds the account to its queue limit, stores the rest in one statement and
 * enqueues them in one call.
 *
 * "200 means durable": results are returned only after the commit; a failed enqueue is logged and
 * left to the dispatcher's sweeper.
 */
export class AcceptNotifications {
  private readonly now: () => number;
  private readonly queueCounts: KnownQueueCounts;

  constructor(
    private readonly messages: AcceptanceStore,
    private readonly queue: BulkEnqueuer,
    private readonly pacer: PaceReader,
    private readonly logger: Logger,
    private readonly options: AcceptanceOptions,
  ) {
    this.now = options.now ?? Date.now;
    this.queueCounts = options.queueCounts ?? new KnownQueueCounts();
  }

  async execute(
    principal: Principal,
    instance: Instance,
    items: readonly RequestItem[],
    batch: boolean,
  ): Promise<AcceptanceOutcome> {
    const nowMs = this.now();
    const results = new Map<number, ItemResult>();
    const storable: Storable[] = [];
    const firstByKey = new Map<string, { index: number; body: SendBody }>();
    const repeats: { index: number; body: SendBody; of: number }[] = [];
    const deduping = this.options.dedupeWindowMs > 0;
    const wording = await this.wordingOf(principal.accountId, items);

    for (const entry of items) {
      if ('problem' in entry) {
        results.set(entry.index, refused(entry.index, 'validation_failed', entry.problem));
        continue;
      }
      const phone = normalizePhoneNumber(entry.body.phone_number, instance.country ?? undefined);
      if (!phone.ok) {
        results.set(entry.index, {
          index: entry.index,
          success: false,
          code: 'validation_failed',
          field: 'phone_number',
          detail: `phone_number: ${phone.problem}`,
        });
        continue;
      }
      const body = entry.body;
      const key = dedupeKey({
        accountId: principal.accountId,
        instanceId: instance.id,
        subject: isTextBody(body) ? body.text : body.invoice_id,
        messageType: body.message_type,
        phoneNumber: phone.digits,
      });
      // The same notification twice in one request is one message; the second answers like a retry.
      const first = firstByKey.get(key.toString('hex'));
      if (first && deduping) {
        repeats.push({ index: entry.index, body, of: first.index });
        continue;
      }
      firstByKey.set(key.toString('hex'), { index: entry.index, body });
      const content = storedContent(body, wording, instance);
      // UTF-16 units are never fewer than characters: most texts need no count.
      if (
        content.text.length > MAX_TEXT_MESSAGE_CHARACTERS &&
        characterCount(content.text) > MAX_TEXT_MESSAGE_CHARACTERS
      ) {
        results.set(entry.index, tooLongInAccountWording(entry.index, content.text));
        continue;
      }
      // A scheduled message's default lifetime starts when it is due, not when it is accepted.
      const expiresAt =
        body.expires_at ??
        defaultExpiry(
          body.message_type,
          body.send_at?.getTime() ?? nowMs,
          isTextBody(body) ? null : body.due_date,
          instance.timezone,
        );
      storable.push({
        body,
        expiresAt,
        item: {
          ...content,
          index: entry.index,
          phoneNumber: phone.digits,
          expiresAt,
          dedupeKey: key,
          sendAt: body.send_at,
        },
      });
    }

    const placement = await this.place(principal, instance, storable, nowMs, { batch });
    const slots = placement.reserved ? placement.scheduled : new Map<number, number>();
    for (const [index, estimate] of placement.tooLate) {
      const expiry = storable.find(({ item }) => item.index === index)!.expiresAt;
      results.set(index, refused(index, 'would_expire', wouldExpireDetail(estimate, expiry)));
    }
    const storing = storable.filter(({ item }) => !placement.tooLate.has(item.index));

    const rejectedUpFront = results.size; // counted into the batch row; conflicts are added after
    const stored =
      storing.length > 0 || batch
        ? await this.store(
            {
              accountId: principal.accountId,
              instanceId: instance.id,
              items: storing.map(({ item }) => withSlot(item, slots.get(item.index), instance, nowMs)),
              dedupeWindowMs: this.options.dedupeWindowMs,
              ...(batch ? { batch: { itemCount: items.length, rejected: rejectedUpFront } } : {}),
            },
            instance,
            nowMs,
          )
        : {
            batchId: null,
            created: new Map<number, AcceptedMessage>(),
            existing: new Map<number, Message>(),
            supersededIds: [],
          };

    const confirmationOf = confirmationsByInvoice(storing, stored);
    for (const { item, body } of storing) {
      const created = stored.created.get(item.index);
      const existing = stored.existing.get(item.index);
      if (created?.status === 'scheduled') {
        const waitsUntil = placement.waiting.get(item.index);
        results.set(item.index, {
          ...success(item.index, created, body, false),
          ...(waitsUntil === undefined ? {} : { scheduledFor: new Date(waitsUntil) }),
        });
      } else if (created?.status === 'queued') {
        const estimate = placement.scheduled.get(item.index) ?? placement.spare.shift();
        results.set(item.index, {
          ...success(item.index, created, body, false),
          ...(estimate === undefined ? {} : { scheduledFor: new Date(estimate) }),
        });
      } else if (created) {
        const confirmation = item.invoiceId === null ? undefined : confirmationOf.get(item.invoiceId);
        results.set(item.index, {
          ...success(item.index, created, body, false),
          ...(confirmation ? { supersededBy: confirmation } : {}),
        });
      } else if (existing) results.set(item.index, compareWithEarlier(item.index, body, existing));
      else results.set(item.index, refused(item.index, 'conflict', 'Could not be stored; please retry'));
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
    const queued: QueuedSend[] = [];
    const unused: number[] = [];
    for (const [index, slotMs] of slots) {
      if (stored.created.get(index)?.status !== 'queued') unused.push(slotMs);
    }
    for (const [index, message] of stored.created) {
      if (message.status === 'queued') queued.push({ messageId: message.id, slotMs: slots.get(index) });
      // Its job waits in the delayed set until its time; no slot is reserved that far ahead.
      if (message.status === 'scheduled')
        queued.push({ messageId: message.id, notBeforeMs: placement.waiting.get(index) });
    }
    this.queueCounts.added(principal.accountId, queued.length);
    // Reserved for a notification that turned out to be stored already (by a request at the same moment).
    await this.giveBack(instance, unused, nowMs);
    await this.enqueue(queued);
    await this.withdrawSuperseded(instance, stored.supersededIds, nowMs);
    const estimates = ordered.flatMap((result) =>
      result.success && result.scheduledFor ? [result.scheduledFor.getTime()] : [],
    );
    return {
      batchId: stored.batchId,
      results: ordered,
      estimatedFinish: estimates.length > 0 ? new Date(Math.max(...estimates)) : null,
      acceptedAt: new Date(nowMs),
    };
  }

  /**
   * Decides where each new message of the request goes: replays and notifications a confirmation
   * of the same request cancels take no place; the others get the instance's next estimated send
   * times in request order, except those that would only go out after their expiry. Then holds the
   * account to its queue limit, refusing the whole request if its new messages would go over it.
   *
   * The send times are the instance's pacing slots themselves, reserved now, when it reserves slots,
   * its number is connected (a disconnected number's messages wait holding no slot) and no message
   * ahead waits for a slot of its own (it would be overtaken): the dispatcher then takes each job
   * once, when its slot comes. Otherwise, or if Redis cannot reserve, they are estimates from where
   * the pacer stands, and the dispatcher reserves each slot when it first takes the job. Reserved
   * slots left unused (a message too late even so, one a confirmation cancels) go back at once.
   */
  private async place(
    principal: Principal,
    instance: Instance,
    storable: readonly Storable[],
    nowMs: number,
    { batch, knowingReplays = false }: { readonly batch: boolean; readonly knowingReplays?: boolean },
  ): Promise<Placement> {
    const none: Placement = {
      scheduled: new Map(),
      waiting: new Map(),
      tooLate: new Map(),
      spare: [],
      reserved: false,
    };
    if (storable.length === 0) return none;
    const reserving = isPaced(instance) || instance.dailyCap !== null;
    const facts = await this.admissionFacts(principal, instance, storable, nowMs, {
      reserving,
      // A batch's replays (a billing run sent again) are read first rather than given slots to give
      // back; a single send's replay is rare, so its slot goes back after the statement finds it.
      needsReplays: knowingReplays || (reserving && batch),
    });
    const fresh = storable.filter(({ item }) => !facts.replayedKeys.has(hex(item)));
    if (fresh.length === 0) return none;
    // Messages scheduled ahead take no place in the pace: they queue, and are paced, when due.
    const immediate = fresh.filter(({ item }) => !item.sendAt);
    const deferred = fresh.filter(({ item }) => item.sendAt);

    const reserveNow = reserving && facts.backlog === 0 && instance.connectionState !== 'close';
    const reserved =
      reserveNow && immediate.length > 0
        ? await this.tryReserve(instance, nowMs, immediate.length)
        : undefined;
    // With slots reserved the pacer need not be read: the pace only words a queue-limit refusal.
    const { pace, pacer } = reserved ? assumedPace(instance) : await this.paceOf(instance, reserving, nowMs);
    const sendTimes = (count: number): (number | null)[] =>
      reserved
        ? Array.from({ length: count }, (_, position) => reserved[position] ?? null)
        : estimateSendTimes({ nowMs, pace, pacer, ahead: facts.backlog }, count);
    const confirmations = storable.filter(({ item }) => item.messageType === 'confirmation');
    let confirmed = invoicesOf(confirmations);
    for (;;) {
      const placing = immediate.filter(({ item }) => !isSuperseded(item, confirmed));
      const times = sendTimes(placing.length);
      const scheduled = new Map<number, number>();
      const waiting = new Map<number, number>();
      const tooLate = new Map<number, number | null>();
      for (const { item, expiresAt } of deferred) {
        if (isSuperseded(item, confirmed)) continue;
        const dueMs = item.sendAt!.getTime();
        if (dueMs >= expiresAt.getTime()) tooLate.set(item.index, dueMs);
        else waiting.set(item.index, dueMs);
      }
      let next = 0;
      for (const { item, expiresAt } of placing) {
        const estimate = times[next] ?? null;
        // As the dispatcher decides it: a send due at or after the expiry never happens.
        if (estimate === null || estimate >= expiresAt.getTime()) tooLate.set(item.index, estimate);
        else {
          scheduled.set(item.index, estimate);
          next += 1;
        }
      }
      // A confirmation refused as too late is not accepted, so it cancels nothing: place again without it.
      const stillConfirmed = invoicesOf(confirmations.filter(({ item }) => !tooLate.has(item.index)));
      if (stillConfirmed.size < confirmed.size) {
        confirmed = stillConfirmed;
        continue;
      }
      // Placed without knowing the replays, a replay could be refused as too late: it must answer as before.
      if (tooLate.size > 0 && !facts.replaysKnown)
        return this.place(principal, instance, storable, nowMs, { batch, knowingReplays: true });
      const leftOver = times.slice(next).filter((time): time is number => time !== null);
      try {
        this.holdToQueueLimit(facts, scheduled.size + waiting.size, { nowMs, pace, pacer });
      } catch (error) {
        await this.giveBack(instance, [...scheduled.values(), ...leftOver], nowMs);
        throw error;
      }
      if (!reserved) return { scheduled, waiting, tooLate, spare: leftOver, reserved: false };
      // Reserved but not placed: back to the pacer, not kept as estimates for anything else.
      await this.giveBack(instance, leftOver, nowMs);
      return { scheduled, waiting, tooLate, spare: [], reserved: true };
    }
  }

  /**
   * What the request is admitted against. The account's queue is counted only when this process's
   * last count cannot stand for it (see {@link KnownQueueCounts}). An instance that reserves slots
   * needs its backlog counted. Replays are read only for a batch of such an instance, or with the
   * account's count: otherwise they are placed like the rest (their places, or the slots reserved
   * for them, go back once the statement finds them stored; the queue limit is far), unless one
   * comes out too late to send, when {@link place} asks again with the replays known.
   */
  private async admissionFacts(
    principal: Principal,
    instance: Instance,
    storable: readonly Storable[],
    nowMs: number,
    { reserving, needsReplays }: { readonly reserving: boolean; readonly needsReplays: boolean },
  ): Promise<AdmissionFacts & { readonly replaysKnown: boolean }> {
    const { accountId } = principal;
    const limit = this.options.queueLimitPerAccount;
    const known = limit > 0 ? this.queueCounts.trusted(accountId, limit, storable.length, nowMs) : 0;
    const dedupeKeys =
      this.options.dedupeWindowMs > 0 && (needsReplays || known === undefined)
        ? storable.map(({ item }) => item.dedupeKey)
        : [];
    if (known !== undefined && !reserving && dedupeKeys.length === 0) {
      return {
        accountQueued: known,
        backlog: 0,
        replayedKeys: new Set(),
        replaysKnown: this.options.dedupeWindowMs <= 0,
      };
    }
    const facts = await this.messages.readAdmission({
      accountId,
      instanceId: instance.id,
      countQueuedUpTo: known === undefined ? limit : 0,
      countBacklog: reserving,
      dedupeKeys,
    });
    const replaysKnown = this.options.dedupeWindowMs <= 0 || dedupeKeys.length > 0;
    if (known !== undefined) return { ...facts, accountQueued: known, replaysKnown };
    if (limit > 0) this.queueCounts.counted(accountId, facts.accountQueued, nowMs);
    return { ...facts, replaysKnown };
  }

  /**
   * Reserves the instance's next `count` slots (one Redis call), or nothing if Redis cannot.
   *
   * @returns the slots in order, undefined for each the daily cap left no room for.
   */
  private async tryReserve(
    instance: Instance,
    nowMs: number,
    count: number,
  ): Promise<(number | undefined)[] | undefined> {
    try {
      return await reserveInstanceSlots(this.pacer, instance, nowMs, count);
    } catch (error) {
      this.logger.warn('could not reserve pacing slots; the dispatcher will reserve them', { error });
      return undefined;
    }
  }

  /** Refuses the request (429) when its new queued messages would take the account over its limit. */
  private holdToQueueLimit(
    facts: AdmissionFacts,
    adding: number,
    timing: { nowMs: number; pace: SendPace; pacer: PacerPosition },
  ): void {
    const limit = this.options.queueLimitPerAccount;
    if (limit <= 0 || adding === 0 || facts.accountQueued + adding <= limit) return;
    // How long this instance's pace takes to send as many messages as the request is over by.
    const excess = facts.accountQueued + adding - limit;
    const [drained] = estimateSendTimes(
      { nowMs: timing.nowMs, pace: timing.pace, pacer: IDLE_PACER, ahead: excess - 1 },
      1,
    );
    const seconds =
      drained === null || drained === undefined
        ? QUEUE_LIMIT_RETRY_AFTER_SECONDS.max
        : Math.ceil((drained - timing.nowMs) / 1000);
    const queued = facts.accountQueued >= limit ? `${limit} or more` : String(facts.accountQueued);
    throw new DomainError(
      'queue_limit_reached',
      `Queue limit reached: an account may have at most ${limit} messages queued; this one has ${queued} ` +
        `and this request would add ${adding}`,
      {
        retryAfterSeconds: Math.min(
          QUEUE_LIMIT_RETRY_AFTER_SECONDS.max,
          Math.max(QUEUE_LIMIT_RETRY_AFTER_SECONDS.min, seconds),
        ),
      },
    );
  }

  /**
   * The instance's pace and where its pacer stands. An unpaced instance reserves nothing, so its
   * pacer is not read; if Redis cannot be read, the estimate goes on from Postgres's backlog alone
   * (sends are accepted while Redis is down, and the sweeper enqueues them later).
   */
  private async paceOf(
    instance: Instance,
    reserving: boolean,
    nowMs: number,
  ): Promise<{ pace: SendPace; pacer: PacerPosition }> {
    if (!reserving) return { pace: { ...basePace(instance), spacingMs: 0 }, pacer: IDLE_PACER };
    try {
      const reading = await this.pacer.readPosition(
        instance.id,
        pacingPolicyOf(instance),
        reservationDays(nowMs, instance.timezone),
        nowMs,
      );
      return { pace: { ...basePace(instance), spacingMs: reading.meanSpacingMs }, pacer: reading };
    } catch (error) {
      this.logger.warn('could not read the instance pacer; send times estimated without it', { error });
      return assumedPace(instance);
    }
  }

  /**
   * Reminders a confirmation canceled may be waiting for paced slots far ahead: see
   * {@link withdrawSends}.
   */
  private withdrawSuperseded(
    instance: Instance,
    messageIds: readonly string[],
    nowMs: number,
  ): Promise<void> {
    return withdrawSends(
      { queue: this.queue, pacer: this.pacer, logger: this.logger },
      instance,
      messageIds,
      nowMs,
    );
  }

  /** Stores the request; the slots reserved for it go back if it could not be stored. */
  private async store(
    request: OutgoingAcceptance,
    instance: Instance,
    nowMs: number,
  ): Promise<AcceptanceResult> {
    try {
      return await this.messages.acceptOutgoing(request);
    } catch (error) {
      const reserved = request.items.flatMap(({ reservedSlot }) =>
        reservedSlot ? [reservedSlot.at.getTime()] : [],
      );
      await this.giveBack(instance, reserved, nowMs);
      throw error;
    }
  }

  /** The account's wording, read only when the request holds a notification (texts need none). */
  private wordingOf(accountId: string, items: readonly RequestItem[]): Promise<AccountWording> {
    const wording = this.options.wording;
    const notifications = items.some((entry) => 'body' in entry && !isTextBody(entry.body));
    return wording && notifications ? wording.forAccount(accountId) : Promise.resolve(GUIDE_WORDING);
  }

  private giveBack(instance: Instance, slotsMs: readonly number[], nowMs: number): Promise<void> {
    return giveBackSlots(this.pacer, this.logger, instance, slotsMs, nowMs);
  }

  private async enqueue(sends: QueuedSend[]): Promise<void> {
    if (sends.length === 0) return;
    try {
      await this.queue.enqueueSendsWithSlots(sends);
    } catch (error) {
      this.logger.warn('messages committed but not enqueued; the sweeper will enqueue them', {
        count: sends.length,
        messageIds: sends.slice(0, 20).map((send) => send.messageId),
        error,
      });
    }
  }
}

/**
 * What is stored of a send: a notification's fields with its text rendered here in the account's
 * wording (the dispatcher sends the text as stored), or a `text` message's own text and nothing else.
 */
function storedContent(
  body: SendBody,
  wording: AccountWording,
  instance: Instance,
): Omit<OutgoingItem, 'index' | 'phoneNumber' | 'expiresAt' | 'dedupeKey'> {
  if (isTextBody(body)) {
    return {
      messageType: 'text',
      text: body.text,
      customerName: null,
      amount: null,
      currency: null,
      invoiceId: null,
      dueDate: null,
      metadata: body.metadata,
    };
  }
  const content = notificationContent(body);
  const text = wordNotification(content, wording, {
    instanceId: instance.id,
    defaultLanguage: instance.defaultLanguage,
    language: body.language,
  });
  return { ...content, text, metadata: body.metadata };
}

/**
 * A saved text is checked with the guide's sample when saved; a long customer name named many times
 * could still take it past what a message may hold.
 */
function tooLongInAccountWording(index: number, text: string): ItemResult {
  const detail =
    `customer_name: makes the account's text ${characterCount(text)} characters long, more than the ` +
    `${MAX_TEXT_MESSAGE_CHARACTERS} a message may have`;
  return { index, success: false, code: 'validation_failed', field: 'customer_name', detail };
}

function basePace(instance: Instance): Omit<SendPace, 'spacingMs'> {
  return { timeZone: instance.timezone, quietHours: instance.quietHours, dailyCap: instance.dailyCap };
}

/** The instance's pace without reading its pacer: nothing reserved ahead, the mean spacing. */
function assumedPace(instance: Instance): { pace: SendPace; pacer: PacerPosition } {
  const spacingMs = isPaced(instance) ? instance.pacingMinGapMs + instance.pacingJitterMs / 2 : 0;
  return { pace: { ...basePace(instance), spacingMs }, pacer: IDLE_PACER };
}

/**
 * The item with the slot reserved for it: stored scheduled for then, its timeline saying why it
 * waits when the slot is not now (as the dispatcher records a slot it reserves).
 */
function withSlot(
  item: OutgoingItem,
  slotMs: number | undefined,
  instance: Instance,
  nowMs: number,
): OutgoingItem {
  if (slotMs === undefined) return item;
  const waits = slotMs > nowMs + SLOT_TOLERANCE_MS;
  return {
    ...item,
    reservedSlot: {
      at: new Date(slotMs),
      scheduledDetail: waits
        ? `${slotReason(instance, nowMs)}; sends at ${new Date(slotMs).toISOString()}`
        : null,
    },
  };
}

/** The invoices the items are about (a `text` message is about none). */
function invoicesOf(storables: readonly Storable[]): Set<string> {
  return new Set(storables.flatMap(({ item }) => (item.invoiceId === null ? [] : [item.invoiceId])));
}

/** Whether a confirmation of the request pays the item's invoice (see SUPERSEDED_BY_CONFIRMATION). */
function isSuperseded(item: OutgoingItem, confirmed: ReadonlySet<string>): boolean {
  return (
    SUPERSEDED_BY_CONFIRMATION.includes(item.messageType) &&
    item.invoiceId !== null &&
    confirmed.has(item.invoiceId)
  );
}

/** Per invoice, the message of the request's confirmation for it: stored now or accepted before. */
function confirmationsByInvoice(storing: readonly Storable[], stored: AcceptanceResult): Map<string, string> {
  const found = new Map<string, string>();
  for (const { item } of storing) {
    if (item.messageType !== 'confirmation' || item.invoiceId === null || found.has(item.invoiceId)) continue;
    const message = stored.created.get(item.index) ?? stored.existing.get(item.index);
    if (message) found.set(item.invoiceId, message.id);
  }
  return found;
}

function wouldExpireDetail(estimate: number | null, expiresAt: Date): string {
  const when =
    estimate === null
      ? 'has no send time for it in the coming year'
      : `could send it at ${new Date(estimate).toISOString()} at the earliest`;
  return (
    `Would expire unsent: this instance ${when} (estimated from its pace, backlog, quiet hours and daily cap), ` +
    `and it expires at ${expiresAt.toISOString()}`
  );
}

function refused(index: number, code: RefusalCode, detail: string): ItemResult {
  return { index, success: false, code, detail };
}

function success(index: number, message: Pick<Message, 'id'>, body: SendBody, replayed: boolean): ItemResult {
  return { index, success: true, messageId: message.id, invoiceId: invoiceIdOf(body), replayed };
}

function invoiceIdOf(body: SendBody): string | null {
  return isTextBody(body) ? null : body.invoice_id;
}

/**
 * A notification already accepted within the window: the same one again gets the original answer;
 * one that differs in what the customer is told (amount, currency, due date, name) is a conflict.
 */
function compareWithEarlier(index: number, body: SendBody, earlier: Message): ItemResult {
  // A text's dedupe key is made of its number and its very text: the same key is the same text.
  if (isTextBody(body)) return success(index, earlier, body, true);
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
    code: 'conflict',
    conflictingMessageId: earlier.id,
    detail:
      `The ${body.message_type} notification for invoice ${body.invoice_id} to this number was already accepted ` +
      `(message_id ${earlier.id}) with a different ${changed.join(' and ')}`,
  };
}

function repeatOf(
  index: number,
  body: SendBody,
  original: ItemResult | undefined,
  storable: readonly Storable[],
  originalIndex: number,
): ItemResult {
  if (!original || !original.success) {
    return original
      ? { ...original, index }
      : refused(index, 'conflict', 'Could not be stored; please retry');
  }
  // The same key is the same number and text.
  if (isTextBody(body))
    return { index, success: true, messageId: original.messageId, invoiceId: null, replayed: true };
  const originalBody = storable.find(({ item }) => item.index === originalIndex)?.body;
  const same =
    originalBody &&
    !isTextBody(originalBody) &&
    originalBody.amount === body.amount &&
    originalBody.currency === body.currency &&
    originalBody.due_date === body.due_date &&
    originalBody.customer_name === body.customer_name;
  return same
    ? { index, success: true, messageId: original.messageId, invoiceId: body.invoice_id, replayed: true }
    : {
        index,
        success: false,
        code: 'conflict',
        conflictingMessageId: original.messageId,
        detail: `Item ${originalIndex} of this batch is the same ${body.message_type} for invoice ${body.invoice_id} with different details`,
      };
}

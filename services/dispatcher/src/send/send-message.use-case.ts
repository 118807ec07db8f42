import {
  GroupCommit,
  isNotificationType,
  isPaced,
  isUuid,
  renderNotification,
  retryDelay,
  type BackoffPolicy,
  type ConnectionState,
  type FailureReasonCode,
  type Instance,
  type Message,
} from '@telenexus/core';
import type { RecordedSend } from '@telenexus/db';
import type { EvolutionGateway, SendOutcome } from '@telenexus/evolution';
import type { Logger } from '@telenexus/logger';
import { NO_SEND_METRICS, type SendMetrics, type SendOutcomeLabel } from '@telenexus/observability';
import type { InFlightLock, SendTurn } from '@telenexus/queue';
import { decideSendTime, giveBackSlot, type SendTime, type SlotReserver } from '../pacing/send-timing';

const OUTCOME_LABEL: Readonly<Record<SendResult['kind'], SendOutcomeLabel>> = {
  sent: 'sent',
  failed: 'failed',
  retry: 'retried',
  unknown: 'ambiguous',
  skipped: 'skipped',
  delayed: 'delayed',
  held: 'held',
  expired: 'expired',
};

export interface SendStatusStore {
  claimForSending(id: string, body: string): Promise<Message | null>;
  recordSends(sends: readonly RecordedSend[]): Promise<void>;
  scheduleRetry(id: string, error: string, nextAttemptAt: Date): Promise<Message | null>;
  markFailed(id: string, error: string, reasonCode: FailureReasonCode): Promise<Message | null>;
  markUnknown(id: string, reason: string): Promise<Message | null>;
  scheduleFor(id: string, at: Date, reason: string): Promise<Message | null>;
  hold(id: string, reason: string, recheckAt: Date): Promise<Message | null>;
  keepHeld(id: string, recheckAt: Date): Promise<void>;
  markExpired(id: string, reason: string): Promise<Message | null>;
  makeDue(id: string): Promise<Message | null>;
}

/** The message stores a send changes. */
export interface SendMessageStore {
  readonly statuses: SendStatusStore;
}

/** A message a send job names, with its instance: null once the instance was deleted. */
export interface MessageToSend {
  readonly message: Message;
  readonly instance: Instance | null;
}

/** The first statement's answer: claimed for its send, or only read, with its instance. */
export type MessageForSend =
  | { readonly claimed: true; readonly message: Message; readonly instance: Instance }
  | ({ readonly claimed: false } & MessageToSend);

export interface SendInstanceStore {
  /**
   * Claims the message (`queued → sending`) when it can go out at once — queued with its text, not
   * expired at `nowMs`, its instance connected, not paced, without daily cap or quiet hours — and
   * otherwise reads it; its instance is read in the same statement either way (never stale).
   */
  claimOrFindForSendMany(messageIds: readonly string[], nowMs: number): Promise<(MessageForSend | null)[]>;
  updateConnectionState(id: string, state: ConnectionState, reason: string): Promise<boolean>;
}

/** Which attempt this is, as the queue counts them. */
export interface Attempt {
  /** 1 for the first attempt. */
  readonly number: number;
  readonly max: number;
}

/** What became of one attempt; the job processor turns it into the job's fate. */
export type SendResult =
  | { readonly kind: 'skipped'; readonly reason: string }
  /** Not yet: run again at `untilMs`, keeping `reservedSlotMs` (a slot already taken) if set. */
  | {
      readonly kind: 'delayed';
      readonly untilMs: number;
      readonly reservedSlotMs?: number;
      readonly reason: string;
      /** It waits for the `send_at` its billing system asked for, not for pacing. */
      readonly scheduled?: true;
    }
  /** Its number is disconnected: it waits, consuming nothing, until `untilMs` at the latest. */
  | { readonly kind: 'held'; readonly untilMs: number; readonly reason: string }
  | { readonly kind: 'expired'; readonly reason: string }
  | { readonly kind: 'sent'; readonly providerMessageId: string }
  | { readonly kind: 'failed'; readonly reason: string }
  | { readonly kind: 'retry'; readonly reason: string; readonly delayMs: number }
  | { readonly kind: 'unknown'; readonly reason: string };

/** Redis-backed pacing: slot reservations and the send turn (one in flight, gap kept). */
export interface Pacer extends SlotReserver {
  takeTurn(instanceId: string, minGapMs: number, lockTtlMs: number, nowMs: number): Promise<SendTurn>;
  markSendAnswered(instanceId: string, minGapMs: number, ttlMs: number, nowMs: number): Promise<void>;
}

/** At most one connection probe per instance per interval, across dispatchers. */
export interface ProbeLimiter {
  claim(instanceId: string): Promise<boolean>;
}

export interface SendMessageOptions {
  readonly backoff: BackoffPolicy;
  readonly pacer: Pacer;
  readonly probes: ProbeLimiter;
  /** How long a held message sleeps before looking again, should its release be missed. */
  readonly holdRecheckMs: number;
  /** How long the in-flight lock is held at most: longer than any one Evolution call. */
  readonly inFlightLockTtlMs: number;
  readonly random?: () => number;
  readonly now?: () => number;
  readonly metrics?: SendMetrics;
  /** Pause between tries of recording a successful send while Postgres is briefly away. */
  readonly recordRetryDelaysMs?: readonly number[];
}

/**
 * Sends one queued message through Evolution and records what happened.
 *
 * The claim (`queued → sending`) comes before the Evolution call and is a compare-and-set, so a
 * re-run job, a sweeper re-add or a second dispatcher can never send the same message twice. After
 * the call the outcome decides: sent, failed for good, back to queued for a retry, or `unknown`
 * when it may have gone out — which is never blindly resent.
 */
export class SendMessage {
  private readonly random: () => number;
  private readonly now: () => number;
  private readonly recordRetryDelaysMs: readonly number[];
  private readonly metrics: SendMetrics;
  /** Messages claimed (or read) with those of other jobs started meanwhile; one attempt per message at once. */
  private readonly claims: GroupCommit<string, MessageForSend | null>;
  /** Sends Evolution accepted, recorded with those of other jobs answered meanwhile. */
  private readonly sentRecords: GroupCommit<RecordedSend, void>;

  constructor(
    private readonly messages: SendMessageStore,
    private readonly instances: SendInstanceStore,
    private readonly evolution: EvolutionGateway,
    private readonly logger: Logger,
    private readonly options: SendMessageOptions,
  ) {
    this.random = options.random ?? Math.random;
    this.now = options.now ?? Date.now;
    this.recordRetryDelaysMs = options.recordRetryDelaysMs ?? [250, 500, 1000, 2000, 4000, 8000];
    this.metrics = options.metrics ?? NO_SEND_METRICS;
    this.claims = new GroupCommit((ids) => instances.claimOrFindForSendMany(ids, this.now()), {
      key: (id) => id.toLowerCase(),
    });
    this.sentRecords = new GroupCommit(async (sends) => {
      await messages.statuses.recordSends(sends);
      return sends.map(() => undefined);
    });
  }

  /**
   * @param reservedSlotMs a pacing slot this attempt already reserved (when the job comes back from
   *   its delay), so it is not reserved twice.
   */
  async execute(messageId: string, attempt: Attempt, reservedSlotMs?: number): Promise<SendResult> {
    // Loaded here, not in attempt(), so the outcome is counted under the message's instance.
    // A job's id that is no message id finds nothing, and does not fail the others' statement.
    const found = isUuid(messageId) ? await this.claims.submit(messageId) : null;
    // Claimed already: nothing was left to decide (an unpaced instance), so this is the send.
    const result = found?.claimed
      ? await this.call(found.message, found.instance, attempt, false)
      : await this.attempt(messageId, found, attempt, reservedSlotMs);
    this.metrics.recordSend(OUTCOME_LABEL[result.kind], found?.message.instanceId);
    if (result.kind === 'delayed' && !result.scheduled)
      this.metrics.recordPacingDelay(Math.max(0, result.untilMs - this.now()) / 1000);
    return result;
  }

  private async attempt(
    messageId: string,
    found: MessageToSend | null,
    attempt: Attempt,
    reservedSlotMs?: number,
  ): Promise<SendResult> {
    if (!found) return { kind: 'skipped', reason: 'message not found' };
    const { instance } = found;
    let { message } = found;
    if (message.status === 'scheduled') {
      const due = await this.due(message);
      if ('kind' in due) return due;
      message = due;
    }
    if (message.status !== 'queued') {
      // Canceled (or settled some other way) while it waited: its slot is free for others.
      if (instance) await this.giveBack(instance, reservedSlotMs);
      return { kind: 'skipped', reason: `message is ${message.status}` };
    }
    if (!instance) {
      await this.messages.statuses.markFailed(
        messageId,
        'The instance no longer exists',
        'instance_logged_out',
      );
      return { kind: 'failed', reason: 'instance no longer exists' };
    }

    if (message.expiresAt && message.expiresAt.getTime() <= this.now()) {
      await this.giveBack(instance, reservedSlotMs);
      return this.expire(messageId, `Expired at ${message.expiresAt.toISOString()} before it could be sent`);
    }
    if (instance.connectionState === 'close') {
      return this.hold(message, instance, reservedSlotMs, 'The WhatsApp number is disconnected');
    }
    let time = await decideSendTime(instance, this.now(), reservedSlotMs, this.options.pacer);
    // One send in flight per instance, and never closer than the gap to the previous one, even when
    // Evolution is slower than the gap or a job woke late. A refused turn waits until it could be
    // granted, keeping the slot (and daily-cap unit) it holds and its place in the backlog.
    let lock: InFlightLock | undefined;
    if (time.kind === 'now' && isPaced(instance)) {
      const turn = await this.options.pacer.takeTurn(
        instance.id,
        instance.pacingMinGapMs,
        this.options.inFlightLockTtlMs,
        this.now(),
      );
      if (turn.taken) lock = turn.lock;
      else time = waitForTurn(turn.retryAtMs);
    }
    if (time.kind === 'later') {
      const expiry = message.expiresAt;
      if (expiry && time.atMs >= expiry.getTime()) {
        await this.giveBack(instance, time.reservedSlotMs);
        const when = new Date(time.atMs).toISOString();
        return this.expire(
          messageId,
          `Could only be sent at ${when} (${time.reason}), after it expires at ${expiry.toISOString()}`,
        );
      }
      await this.messages.statuses.scheduleFor(messageId, new Date(time.atMs), time.reason);
      return {
        kind: 'delayed',
        untilMs: time.atMs,
        reservedSlotMs: time.reservedSlotMs,
        reason: time.reason,
      };
    }
    try {
      return await this.sendNow(message, instance, attempt, lock !== undefined);
    } finally {
      await lock
        ?.release()
        .catch((error: unknown) => this.logger.warn('could not release the send lock', { error }));
    }
  }

  /**
   * A scheduled message, at its job's time: before its `send_at` (a job added early by the sweeper,
   * or woken a moment early) it waits again, consuming nothing; from then on it queues and goes on
   * as any queued message, quiet hours and pacing included.
   */
  private async due(message: Message): Promise<Message | SendResult> {
    const sendAtMs = message.sendAt?.getTime() ?? 0;
    if (sendAtMs > this.now()) {
      return {
        kind: 'delayed',
        untilMs: sendAtMs,
        reason: 'scheduled by its billing system',
        scheduled: true,
      };
    }
    return (
      (await this.messages.statuses.makeDue(message.id)) ?? {
        kind: 'skipped',
        reason: 'message is no longer scheduled',
      }
    );
  }

  /**
   * Holds a message of a disconnected number: no attempt, slot or cap unit is used while it waits
   * (its slot, if it held one, goes back). It wakes when the number reconnects (the releaser
   * promotes it), at its deadline to expire, or after `holdRecheckMs` should the release be missed.
   */
  private async hold(
    message: Message,
    instance: Instance,
    slotMs: number | undefined,
    reason: string,
  ): Promise<SendResult> {
    await this.giveBack(instance, slotMs);
    const untilMs = Math.min(
      this.now() + this.options.holdRecheckMs,
      message.expiresAt?.getTime() ?? Number.POSITIVE_INFINITY,
    );
    if (message.heldAt && message.status === 'queued')
      await this.messages.statuses.keepHeld(message.id, new Date(untilMs));
    else await this.messages.statuses.hold(message.id, reason, new Date(untilMs));
    return { kind: 'held', untilMs, reason };
  }

  /** Best effort: a slot not given back only leaves a gap in the pace and one unit of the cap unused. */
  private async giveBack(instance: Instance, slotMs: number | undefined): Promise<void> {
    if (slotMs === undefined) return;
    try {
      await giveBackSlot(this.options.pacer, instance, slotMs, this.now());
    } catch (error) {
      this.logger.warn('could not give back a pacing slot', { instanceId: instance.id, error });
    }
  }

  private async expire(messageId: string, reason: string): Promise<SendResult> {
    await this.messages.statuses.markExpired(messageId, reason);
    return { kind: 'expired', reason };
  }

  private async sendNow(
    message: Message,
    instance: Instance,
    attempt: Attempt,
    paced: boolean,
  ): Promise<SendResult> {
    const claimed = await this.messages.statuses.claimForSending(message.id, messageText(message));
    if (!claimed) return { kind: 'skipped', reason: 'claimed by another attempt' };
    return this.call(claimed, instance, attempt, paced);
  }

  /** Sends a message this attempt claimed, whose text is stored, and records what Evolution answered. */
  private async call(
    claimed: Message,
    instance: Instance,
    attempt: Attempt,
    paced: boolean,
  ): Promise<SendResult> {
    const messageId = claimed.id;
    const text = messageText(claimed);
    const calledAt = process.hrtime.bigint();
    let outcome: SendOutcome;
    try {
      outcome = await this.evolution.sendText({
        instanceName: instance.evolutionInstanceName,
        token: instance.evolutionToken,
        number: claimed.phoneNumber,
        text,
      });
    } finally {
      // Still holding the turn: the next send of this instance waits a whole gap from this answer.
      if (paced) await this.markAnswered(instance);
    }
    this.metrics.recordEvolutionCall(outcome.kind, Number(process.hrtime.bigint() - calledAt) / 1e9);

    switch (outcome.kind) {
      case 'sent':
        // With the receipts WhatsApp may have sent before our write landed (held until now); recorded
        // together with the sends of other jobs answered meanwhile.
        await this.record(() =>
          this.sentRecords.submit({
            messageId,
            instanceId: instance.id,
            providerMessageId: outcome.providerMessageId,
          }),
        );
        if (instance.connectionState === 'close')
          await this.noteConnection(instance, 'open', 'a send succeeded');
        return { kind: 'sent', providerMessageId: outcome.providerMessageId };
      case 'permanent':
        await this.record(() =>
          this.messages.statuses.markFailed(messageId, outcome.reason, failureCode(outcome)),
        );
        if (outcome.configuration) {
          this.logger.error('Evolution rejected our configuration', {
            instanceId: instance.id,
            reason: outcome.reason,
          });
        }
        return { kind: 'failed', reason: outcome.reason };
      case 'transient': {
        if (outcome.instanceDisconnected) {
          // Retrying would burn the attempts while the number is down: unless a probe finds it
          // connected after all (a blip), the message waits for it, like the rest of its backlog.
          const state = await this.confirmConnection(instance);
          if (state !== 'open') {
            return this.hold(
              claimed,
              instance,
              undefined,
              `Evolution answered "${outcome.reason}"; waiting for the number to reconnect`,
            );
          }
        }
        if (attempt.number >= attempt.max) {
          const reason = `Gave up after ${attempt.max} attempts: ${outcome.reason}`;
          await this.record(() => this.messages.statuses.markFailed(messageId, reason, 'gave_up'));
          return { kind: 'failed', reason };
        }
        const delayMs = retryDelay(attempt.number, this.options.backoff, outcome.retryAfterMs, this.random);
        // Certainly not sent: a Postgres blip here must not leave it `sending` (and later `unknown`).
        const retryAt = new Date(this.now() + delayMs);
        await this.record(() => this.messages.statuses.scheduleRetry(messageId, outcome.reason, retryAt));
        return { kind: 'retry', reason: outcome.reason, delayMs };
      }
      case 'ambiguous':
        await this.record(() => this.messages.statuses.markUnknown(messageId, outcome.reason));
        return { kind: 'unknown', reason: outcome.reason };
    }
  }

  /**
   * Moves the instance's "last send" to now. A Redis failure here must not lose what Evolution
   * answered (the row would stay `sending`); the in-flight lock still spaces the next send.
   */
  private async markAnswered(instance: Instance): Promise<void> {
    try {
      await this.options.pacer.markSendAnswered(
        instance.id,
        instance.pacingMinGapMs,
        this.options.inFlightLockTtlMs,
        this.now(),
      );
    } catch (error) {
      this.logger.warn('could not record when the send was answered', { instanceId: instance.id, error });
    }
  }

  /**
   * Records what Evolution answered, which must not be lost: forgetting it would leave the row in
   * `sending`, and the sweeper would later take a message that never left for an ambiguous send. A
   * short Postgres blip is waited out here; a long one leaves the row to the sweeper, which marks it
   * `unknown` rather than sending it again.
   */
  private async record(write: () => Promise<unknown>): Promise<void> {
    for (let index = 0; ; index += 1) {
      try {
        await write();
        return;
      } catch (error) {
        const delay = this.recordRetryDelaysMs[index];
        if (delay === undefined) throw error;
        this.logger.warn('could not record the send yet; retrying', { error, delayMs: delay });
        await new Promise((resolve) => setTimeout(resolve, delay));
      }
    }
  }

  /**
   * "Connection Closed" from one send may be a blip: ask Evolution for the instance's state (at most
   * one probe per instance per interval, across dispatchers) and record what it says.
   *
   * @returns the state found, or undefined when no probe was made or it failed.
   */
  private async confirmConnection(instance: Instance): Promise<ConnectionState | undefined> {
    try {
      if (!(await this.options.probes.claim(instance.id))) return undefined;
      const state = await this.evolution.connectionState({
        instanceName: instance.evolutionInstanceName,
        token: instance.evolutionToken,
      });
      await this.noteConnection(instance, state, 'probed after a "Connection Closed" answer');
      return state;
    } catch (error) {
      this.logger.warn('could not confirm the instance connection state', { instanceId: instance.id, error });
      return undefined;
    }
  }

  private async noteConnection(instance: Instance, state: ConnectionState, reason: string): Promise<void> {
    try {
      if (await this.instances.updateConnectionState(instance.id, state, reason)) {
        this.logger.warn('instance connection state changed', { instanceId: instance.id, state });
      }
    } catch (error) {
      this.logger.warn('could not record the instance connection state', { instanceId: instance.id, error });
    }
  }
}

/** The attempt comes back when its refused turn could be granted, as the holder of a slot. */
function waitForTurn(retryAtMs: number): SendTime {
  return {
    kind: 'later',
    atMs: retryAtMs,
    reservedSlotMs: retryAtMs,
    reason: 'waiting for the previous send',
  };
}

/** The code a billing system acts on, for what Evolution refused for good. */
function failureCode(outcome: SendOutcome & { kind: 'permanent' }): FailureReasonCode {
  if (outcome.notOnWhatsApp) return 'not_on_whatsapp';
  // A bad key or an instance Evolution does not have: the number must be linked or paired again.
  const gone = outcome.httpStatus === 401 || outcome.httpStatus === 403 || outcome.httpStatus === 404;
  return outcome.configuration && gone ? 'instance_logged_out' : 'rejected';
}

/** The text to send: stored when it was accepted, or rendered now for a row stored before texts were. */
function messageText(message: Message): string {
  if (message.body !== null) return message.body;
  if (
    !isNotificationType(message.messageType) ||
    !message.customerName ||
    !message.amount ||
    !message.currency ||
    !message.invoiceId
  ) {
    throw new Error(`Message ${message.id} lacks the fields a notification needs`);
  }
  return renderNotification({
    messageType: message.messageType,
    customerName: message.customerName,
    amount: message.amount,
    currency: message.currency,
    invoiceId: message.invoiceId,
    dueDate: message.dueDate,
  });
}

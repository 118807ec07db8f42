import type { Instance, Message } from '@telenexus/core';
import type { UnknownSend } from '@telenexus/db';
import type { EvolutionTarget, FoundMessage, SentMessageQuery } from '@telenexus/evolution';
import type { Logger } from '@telenexus/logger';

/** Evolution's `chat/findMessages`, narrowed to what reconciling needs. */
export interface SentMessageSearch {
  findSentMessages(target: EvolutionTarget, query: SentMessageQuery): Promise<FoundMessage[]>;
}

export interface ReconcilerStores {
  readonly maintenance: { findUnknown(limit: number): Promise<UnknownSend[]> };
  readonly statuses: {
    confirmFoundSend(id: string, providerMessageId: string): Promise<Message | null>;
    applyPendingReceipts(instanceId: string, providerMessageId: string): Promise<number>;
    failUnconfirmed(id: string, reason: string): Promise<Message | null>;
    resend(id: string, reason: string): Promise<Message | null>;
  };
}

export interface ReconcilerOptions {
  /** An ambiguous send with no evidence this long after it became ambiguous is settled by policy. */
  readonly deadlineMs: number;
  /** Slack around the send (from its claim to when it became ambiguous) for Evolution's clock. */
  readonly searchSlackMs?: number;
  readonly batchSize?: number;
  readonly now?: () => number;
}

/** What one pass did. */
export interface ReconcileReport {
  readonly confirmed: number;
  readonly failed: number;
  readonly resent: number;
  readonly waiting: number;
}

export const UNCONFIRMED_REASON = 'WhatsApp never confirmed this message; it may not have arrived';

/**
 * Settles ambiguous sends (`unknown`): a send whose answer was lost may or may not have reached
 * WhatsApp. Evidence that it did — Evolution's `send.message` webhook or a receipt (ingress applies
 * those as they come), or the message found among Evolution's stored messages for that number,
 * around that time, with exactly that text — makes it `sent`. With none by the deadline, the
 * account's policy decides: `failed` with reason code `unconfirmed` (the default), or one resend,
 * recorded on the timeline. Each change is a compare-and-set, so several dispatchers may run this.
 */
export class AmbiguousSendReconciler {
  private readonly now: () => number;

  constructor(
    private readonly stores: ReconcilerStores,
    private readonly instances: { findById(id: string): Promise<Instance | null> },
    private readonly search: SentMessageSearch,
    private readonly queue: { ensureSendJobs(messageIds: readonly string[]): Promise<string[]> },
    private readonly logger: Logger,
    private readonly options: ReconcilerOptions,
  ) {
    this.now = options.now ?? Date.now;
  }

  async reconcileOnce(): Promise<ReconcileReport> {
    const report = { confirmed: 0, failed: 0, resent: 0, waiting: 0 };
    for (const unknown of await this.stores.maintenance.findUnknown(this.options.batchSize ?? 100)) {
      try {
        report[await this.settle(unknown)] += 1;
      } catch (error) {
        // One message's trouble (Postgres away, a key id already taken) must not stop the others.
        this.logger.warn('could not settle an ambiguous send', { messageId: unknown.message.id, error });
        report.waiting += 1;
      }
    }
    if (report.confirmed + report.failed + report.resent > 0)
      this.logger.info('ambiguous sends settled', report);
    return report;
  }

  private async settle(unknown: UnknownSend): Promise<keyof ReconcileReport> {
    const { message } = unknown;
    const found = await this.lookForTheSend(unknown);
    if (found === 'no answer') {
      // Evolution could not be asked: give it a second deadline before settling without looking.
      if (this.now() - unknown.since.getTime() < 2 * this.options.deadlineMs) return 'waiting';
    } else if (found) {
      if (await this.stores.statuses.confirmFoundSend(message.id, found.keyId)) {
        await this.stores.statuses.applyPendingReceipts(message.instanceId, found.keyId);
        return 'confirmed';
      }
      return 'waiting'; // settled meanwhile by a webhook
    }
    if (this.now() - unknown.since.getTime() < this.options.deadlineMs) return 'waiting';
    if (unknown.policy === 'resend_once' && !unknown.resent) {
      if (
        await this.stores.statuses.resend(
          message.id,
          `${UNCONFIRMED_REASON}; sent once more, as the account asks`,
        )
      ) {
        await this.queue.ensureSendJobs([message.id]);
        return 'resent';
      }
      return 'waiting';
    }
    return (await this.stores.statuses.failUnconfirmed(message.id, UNCONFIRMED_REASON))
      ? 'failed'
      : 'waiting';
  }

  /**
   * Evolution's stored messages to that number, sent between the claim and when the send became
   * ambiguous (with some slack), with exactly that text: the send, if it left.
   */
  private async lookForTheSend(unknown: UnknownSend): Promise<FoundMessage | undefined | 'no answer'> {
    const { message } = unknown;
    if (!message.body) return undefined;
    const instance = await this.instances.findById(message.instanceId);
    if (!instance) return undefined;
    const slack = this.options.searchSlackMs ?? 60_000;
    try {
      const found = await this.search.findSentMessages(
        { instanceName: instance.evolutionInstanceName, token: instance.evolutionToken },
        {
          number: message.phoneNumber,
          fromMs: unknown.claimedAt.getTime() - slack,
          toMs: unknown.since.getTime() + slack,
        },
      );
      return found.find((candidate) => candidate.text === message.body);
    } catch (error) {
      this.logger.warn('could not search Evolution for an ambiguous send', { messageId: message.id, error });
      return 'no answer';
    }
  }
}

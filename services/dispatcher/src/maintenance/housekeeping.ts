import type { Logger } from '@telenexus/logger';

export interface HousekeepingStores {
  readonly messages: {
    deleteExpiredDedupeKeys(before: Date): Promise<number>;
    deletePendingReceiptsBefore(before: Date): Promise<number>;
  };
  readonly idempotencyKeys: { deleteExpired(before: Date): Promise<number> };
  readonly webhookEndpoints: { forgetExpiredPreviousSecrets(now: Date): Promise<number> };
}

/** Held receipts no send claimed within this long (messages sent from the phone itself) are dropped. */
const PENDING_RECEIPT_TTL_MS = 7 * 24 * 3600 * 1000;

/**
 * Removes what has outlived its purpose, so tables that grow with traffic stay small: dedupe keys
 * past their window, Idempotency-Key answers past their retention, and held receipts no send claimed.
 * It also erases webhook signing secrets whose rotation overlap has ended (they stop signing at
 * their expiry whether or not this has run yet).
 */
export class Housekeeping {
  constructor(
    private readonly stores: HousekeepingStores,
    private readonly logger: Logger,
    private readonly now: () => number = Date.now,
  ) {}

  async run(): Promise<void> {
    const now = new Date(this.now());
    const removed = {
      dedupeKeys: await this.stores.messages.deleteExpiredDedupeKeys(now),
      idempotencyKeys: await this.stores.idempotencyKeys.deleteExpired(now),
      pendingReceipts: await this.stores.messages.deletePendingReceiptsBefore(
        new Date(now.getTime() - PENDING_RECEIPT_TTL_MS),
      ),
      previousWebhookSecrets: await this.stores.webhookEndpoints.forgetExpiredPreviousSecrets(now),
    };
    if (Object.values(removed).some((count) => count > 0))
      this.logger.info('housekeeping removed expired rows', removed);
  }
}

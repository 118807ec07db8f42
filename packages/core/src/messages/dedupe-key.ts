import { createHash } from 'node:crypto';
import type { MessageStatus } from './message-status';
import type { MessageType } from './message-type';

/** What makes two notifications the same one, for the natural dedupe window. */
export interface DedupeIdentity {
  readonly accountId: string;
  readonly instanceId: string;
  /** What the message is about: a notification's invoice id, or a `text` message's text itself. */
  readonly subject: string;
  readonly messageType: MessageType;
  /** Normalised digits, so `+254 712…` and `0712…` are one customer. */
  readonly phoneNumber: string;
}

/** SHA-256 of the identity's parts, unambiguously joined: the dedupe table's key. */
export function dedupeKey(identity: DedupeIdentity): Buffer {
  return createHash('sha256')
    .update(
      JSON.stringify([
        identity.accountId,
        identity.instanceId,
        identity.subject,
        identity.messageType,
        identity.phoneNumber,
      ]),
    )
    .digest();
}

/**
 * Where a message ended without its text reaching the customer: the same notification sent again
 * within the dedupe window is a new message, not a retry. In every other status the earlier answer
 * is replayed — `sending` and `unknown` included, since either may already be on the customer's
 * phone, and a duplicate bill is worse than a late one.
 */
export const RESUBMITTABLE_STATUSES: readonly MessageStatus[] = ['failed', 'expired', 'canceled'];

import type { Direction } from './direction';
import type { FailureReasonCode } from './failure-reason';
import type { MessageStatus } from './message-status';
import type { MessageMetadata } from './message-metadata';
import type { MessageType } from './message-type';

/** A WhatsApp message we send (a billing notification) or receive (a customer's reply). */
export interface Message {
  readonly id: string;
  readonly accountId: string;
  readonly instanceId: string;
  readonly direction: Direction;
  /** Digits with country code, as Evolution takes them. */
  readonly phoneNumber: string;
  readonly customerName: string | null;
  /** Decimal text from the `numeric` column, never a float. */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly invoiceId: string | null;
  readonly dueDate: string | null;
  readonly messageType: MessageType | null;
  /**
   * The text to send (rendered when accepted; for rows stored before that, when first claimed for
   * sending) or as received.
   */
  readonly body: string | null;
  readonly status: MessageStatus;
  readonly attempts: number;
  readonly lastError: string | null;
  /** Why it failed, when it did (see FAILURE_REASON_CODES). */
  readonly reasonCode: FailureReasonCode | null;
  /** Since when it waits for its instance to reconnect, or null when it is not held. */
  readonly heldAt: Date | null;
  /** Evolution's `key.id`, which receipts refer to. */
  readonly providerMessageId: string | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
  readonly sentAt: Date | null;
  readonly deliveredAt: Date | null;
  readonly readAt: Date | null;
  readonly failedAt: Date | null;
  /** After this the message is `expired` rather than sent late; null for never. */
  readonly expiresAt: Date | null;
  /** When its billing system asked for it to go out (it waited `scheduled` until then); null: at once. */
  readonly sendAt: Date | null;
  /** The batch it came in, if any. */
  readonly batchId: string | null;
  /** The billing system's own references, as sent with it; null when none were. */
  readonly metadata: MessageMetadata | null;
}

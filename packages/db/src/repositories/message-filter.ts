import type { Direction, MessageStatus, MessageType, FailureReasonCode } from '@telenexus/core';

import type { PageCursor } from './page-cursor';

/** Where a page of messages ends. */
export type MessageCursor = PageCursor;

/** One instance's messages, narrowed the way the Messages tab filters them. */
export interface MessageFilter {
  readonly accountId: string;
  readonly instanceId: string;
  /** Directions the caller may see at all. */
  readonly visibleDirections: readonly Direction[];
  readonly direction?: Direction;
  readonly status?: MessageStatus;
  readonly messageType?: MessageType;
  readonly reasonCode?: FailureReasonCode;
  readonly invoiceId?: string;
  readonly phoneNumber?: string;
  /** Inclusive. */
  readonly from?: Date;
  /** Exclusive. */
  readonly to?: Date;
  readonly after?: MessageCursor;
  readonly limit: number;
}

import type { Message, MessageMetadata, MessageType } from '@telenexus/core';

/**
 * One message of a request, validated and normalised, ready to store: a notification, with its
 * fields, or a `text` message, which has its text and none of them (null).
 */
export interface OutgoingItem {
  /** Its position in the request, to match results back. */
  readonly index: number;
  readonly phoneNumber: string;
  readonly customerName: string | null;
  /** Decimal text, stored in `numeric` as is. */
  readonly amount: string | null;
  readonly currency: string | null;
  readonly invoiceId: string | null;
  readonly dueDate: string | null;
  readonly messageType: MessageType;
  /**
   * The WhatsApp text (a notification's `renderNotification`, or the text as sent), stored as it is
   * accepted so a send claims the row and has its text in one statement.
   */
  readonly text: string;
  readonly expiresAt: Date | null;
  /** See `dedupeKey` in core. */
  readonly dedupeKey: Buffer;
  /** The billing system's own references, stored with it and carried in its events. */
  readonly metadata?: MessageMetadata | null;
  /** When it was asked to go out, if ahead: it is stored `scheduled` until then. */
  readonly sendAt?: Date | null;
  /**
   * The pacing slot reserved for it as it was accepted: it is stored scheduled for then, with a
   * `scheduled` timeline event when `scheduledDetail` says why it waits.
   */
  readonly reservedSlot?: { readonly at: Date; readonly scheduledDetail: string | null };
}

/** A send request (one notification, or a batch) for one instance. */
export interface OutgoingAcceptance {
  readonly accountId: string;
  readonly instanceId: string;
  readonly items: readonly OutgoingItem[];
  /** How long an identical notification is recognised as the same one; 0 turns dedupe off. */
  readonly dedupeWindowMs: number;
  /** Present for a batch: its size as posted and the items refused before storage. */
  readonly batch?: { readonly itemCount: number; readonly rejected: number };
}

/** A message stored for a request: what the request's answer needs of it. */
export type AcceptedMessage = Pick<Message, 'id' | 'status'>;

/** What storing a request did, item by item. */
export interface AcceptanceResult {
  readonly batchId: string | null;
  /** Items stored now, by index. */
  readonly created: ReadonlyMap<number, AcceptedMessage>;
  /** Items that matched a message already accepted within the window, by index. */
  readonly existing: ReadonlyMap<number, Message>;
  /** Messages queued before the request that one of its confirmations canceled. */
  readonly supersededIds: readonly string[];
}

/** What admitting a send request needs to know before storing it, read in one statement. */
export interface AdmissionQuery {
  readonly accountId: string;
  readonly instanceId: string;
  /** The account's queued messages are counted up to this many; 0: not counted. */
  readonly countQueuedUpTo: number;
  /** Whether to count the instance's messages waiting without a send slot (only paced ones need it). */
  readonly countBacklog: boolean;
  /** The request's dedupe keys; empty when the natural dedupe is off. */
  readonly dedupeKeys: readonly Buffer[];
}

/** The state a send request is admitted against. */
export interface AdmissionFacts {
  /** The account's queued messages, counted up to `countQueuedUpTo`. */
  readonly accountQueued: number;
  /** The instance's queued messages that hold no send slot yet: they go before anything new. */
  readonly backlog: number;
  /** Hex dedupe keys held by an earlier message that is not over unsent: those items replay it. */
  readonly replayedKeys: ReadonlySet<string>;
}

import type { MessageMetadata } from '@telenexus/core';
import type { NotificationBody } from './notification-body.schema';

/** A billing system's own words for one number (the URL gateway): sent exactly as they are. */
export interface TextBody {
  readonly message_type: 'text';
  /** As sent; normalised against the instance's country once the instance is known. */
  readonly phone_number: string;
  readonly text: string;
  /** After this the message is `expired` rather than sent late; null: the type's default. */
  readonly expires_at: Date | null;
  /** When to send it, if ahead: it waits as `scheduled` until then; null: now. */
  readonly send_at: Date | null;
  /** The billing system's own references, kept with the message; null when none. */
  readonly metadata: MessageMetadata | null;
}

/** What one send asks for: one of the guide's notifications, or a text of the sender's own. */
export type SendBody = NotificationBody | TextBody;

export function isTextBody(body: SendBody): body is TextBody {
  return body.message_type === 'text';
}

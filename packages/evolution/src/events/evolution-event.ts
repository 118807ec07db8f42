import type { ConnectionState, ReceiptStatus } from '@telenexus/core';

/** A `messages.update` item we act on: a receipt for a message we sent. */
export interface EvolutionReceipt {
  /** WhatsApp's id of the message, as the send answered it. */
  readonly keyId: string;
  readonly receipt: ReceiptStatus;
  /** Evolution's own word for it (`DELIVERY_ACK`), kept on the timeline. */
  readonly evolutionStatus: string;
}

/** `send.message`: a message the instance sent, which confirms a send whose answer we never got. */
export interface EvolutionSentMessage {
  readonly keyId: string;
  readonly phoneNumber: string;
  readonly text: string;
}

/** `connection.update`: the number's WhatsApp connection changed. */
export interface EvolutionConnectionChange {
  /** `refused` (the QR code limit was reached) is read as `close`: Evolution ended the session. */
  readonly state: Exclude<ConnectionState, 'unknown'>;
  /** In words, with Baileys' reason when given: `connection.update (statusReason 401: logged out)`. */
  readonly reason: string;
}

/** `qrcode.updated`: a new QR code while the number pairs. */
export interface EvolutionQrCodeShown {
  readonly code: string;
  /** A `data:image/png;base64,…` URL. */
  readonly image: string;
  readonly pairingCode: string | null;
}

/** `messages.upsert` from a customer: their reply. */
export interface EvolutionIncomingMessage {
  readonly keyId: string;
  readonly phoneNumber: string;
  readonly senderName: string | null;
  /** Null for messages without text (stickers, audio, …). */
  readonly text: string | null;
}

/**
 * One webhook call of Evolution, read from its untrusted JSON. An item is `null` where the event
 * says nothing we act on (a `PENDING` receipt, our own upsert, the QR limit notice, a group's JID):
 * it is acknowledged and ignored.
 */
export type EvolutionEvent = { readonly instance: string | undefined } & (
  | { readonly name: 'messages.update'; readonly receipts: readonly (EvolutionReceipt | null)[] }
  | { readonly name: 'send.message'; readonly sent: EvolutionSentMessage | null }
  | { readonly name: 'connection.update'; readonly connection: EvolutionConnectionChange | null }
  | { readonly name: 'qrcode.updated'; readonly qrCode: EvolutionQrCodeShown | null }
  | { readonly name: 'messages.upsert'; readonly messages: readonly (EvolutionIncomingMessage | null)[] }
  /** Any other event, dotted and lower case (`presence.update`), or `unnamed`. */
  | { readonly name: 'other'; readonly event: string }
);

/**
 * Evolution API v2 wire shapes, as documented in docs evolution-api.md. They describe what
 * Evolution (and the sandbox) sends; receivers must still validate untrusted input against them.
 */

/** A WhatsApp message key (Baileys `WAMessageKey`). */
export interface EvolutionMessageKey {
  readonly remoteJid: string;
  readonly fromMe: boolean;
  readonly id: string;
}

/** The 201 body of `POST /message/sendText/{instance}`, also the `data` of `send.message`. */
export interface SendTextResponseBody {
  readonly key: EvolutionMessageKey;
  readonly pushName: string;
  readonly status: string;
  readonly message: { readonly conversation: string };
  readonly contextInfo: Readonly<Record<string, unknown>> | null;
  readonly messageType: string;
  /** Seconds. */
  readonly messageTimestamp: number;
  readonly instanceId: string;
  readonly source: string;
}

/** WhatsApp delivery states as Evolution reports them in `messages.update`. */
export const EVOLUTION_MESSAGE_STATUSES = [
  'ERROR',
  'PENDING',
  'SERVER_ACK',
  'DELIVERY_ACK',
  'READ',
  'PLAYED',
  'DELETED',
] as const;

export type EvolutionMessageStatus = (typeof EVOLUTION_MESSAGE_STATUSES)[number];

/** `data` of a `messages.update` webhook (a receipt). */
export interface MessagesUpdateData {
  readonly keyId: string;
  readonly remoteJid: string;
  readonly fromMe: boolean;
  readonly participant: string | null;
  readonly status: EvolutionMessageStatus;
  readonly instanceId: string;
  readonly messageId: string;
}

/** `data` of a `connection.update` webhook; `refused` when the QR code limit was reached. */
export interface ConnectionUpdateData {
  readonly instance: string;
  readonly state: 'open' | 'connecting' | 'close' | 'refused';
  readonly statusReason: number;
  readonly wuid?: string;
  readonly profileName?: string;
  readonly profilePictureUrl?: string | null;
}

/** `data` of a `qrcode.updated` webhook: a new QR code, or the news that the limit was reached. */
export type QrCodeUpdatedData =
  | {
      readonly qrcode: {
        readonly instance: string;
        readonly pairingCode: string | null;
        readonly code: string;
        readonly base64: string;
      };
    }
  | { readonly message: string; readonly statusCode: number };

/** `data` of a `messages.upsert` webhook for an incoming text (Baileys `WAMessage` as Evolution maps it). */
export interface MessagesUpsertData {
  readonly key: EvolutionMessageKey;
  readonly pushName: string;
  readonly status: string;
  readonly message: { readonly conversation: string };
  readonly messageType: string;
  readonly messageTimestamp: number;
  readonly instanceId: string;
  readonly source: string;
}

/** The dotted event names of webhook payloads (configuration uses UPPER_SNAKE instead). */
export type EvolutionWebhookEvent =
  'send.message' | 'messages.update' | 'messages.upsert' | 'connection.update' | (string & {});

/** Every webhook POST Evolution makes. */
export interface EvolutionWebhookEnvelope<Data = unknown> {
  readonly event: EvolutionWebhookEvent;
  readonly instance: string;
  readonly data: Data;
  readonly destination: string;
  /** ISO 8601. */
  readonly date_time: string;
  /** The instance's own WhatsApp JID. */
  readonly sender: string;
  readonly server_url: string;
  /** The instance token, or null: redact it in logs. */
  readonly apikey: string | null;
}

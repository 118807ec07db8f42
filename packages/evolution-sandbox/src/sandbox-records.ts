import type { EvolutionMessageStatus } from '@telenexus/evolution';
import type { SandboxQrCode } from './pairing-sessions';
import type { EvolutionEventName } from './evolution-event-names';

/** Connection states an instance can be put in. */
export type SandboxConnectionState = 'open' | 'connecting' | 'close';

/** A webhook configuration row, shaped like Evolution's `Webhook` table (what `/webhook/find` returns). */
export interface SandboxWebhookRow {
  readonly id: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, string>> | null;
  readonly enabled: boolean;
  readonly events: readonly EvolutionEventName[];
  readonly webhookByEvents: boolean;
  readonly webhookBase64: boolean;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly instanceId: string;
}

/** One instance as the control API shows it. */
export interface SandboxInstanceView {
  readonly name: string;
  readonly id: string;
  readonly token: string;
  readonly state: SandboxConnectionState;
  /** False until the instance was first `open`: sends then fail the way a never-paired instance does. */
  readonly everConnected: boolean;
  readonly ownerJid: string;
  readonly profileName: string;
  readonly integration: string;
  readonly createdAt: string;
  readonly webhook: SandboxWebhookRow | null;
  /** The QR code shown while the instance pairs (after `/instance/connect`), else null. */
  readonly qrCode: SandboxQrCode | null;
}

/**
 * One message the sandbox "delivered" to WhatsApp: the ground truth tests compare against (a
 * message sent twice appears twice).
 */
export interface SandboxDelivery {
  /** The `key.id` Evolution answered (or would have answered) with. */
  readonly id: string;
  readonly instance: string;
  /** Digits only, as Evolution normalises them. */
  readonly number: string;
  readonly text: string;
  /** Epoch milliseconds (from the sandbox's `now`). */
  readonly receivedAt: number;
}

/** A status update row, shaped like Evolution's `MessageUpdate` table (what findStatusMessage returns). */
export interface SandboxStatusRecord {
  readonly id: string;
  readonly keyId: string;
  readonly remoteJid: string;
  readonly fromMe: boolean;
  readonly participant: string | null;
  readonly pollUpdates: null;
  readonly status: EvolutionMessageStatus;
  readonly messageId: string;
  readonly instanceId: string;
}

/** One webhook POST attempt, for fault drills that check what the sandbox sent and gave up on. */
export interface SandboxWebhookAttempt {
  readonly event: string;
  readonly instance: string;
  readonly url: string;
  /** 1 for the first try. */
  readonly attempt: number;
  /** Epoch milliseconds. */
  readonly at: number;
  readonly outcome: 'delivered' | 'retrying' | 'gave-up';
  readonly httpStatus?: number;
  readonly error?: string;
}

/** Filters for the ledger. */
export interface SandboxDeliveryFilter {
  readonly instance?: string;
  /** Only deliveries with `receivedAt >= since`. */
  readonly since?: number;
}

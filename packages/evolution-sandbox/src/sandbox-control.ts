import type { EvolutionMessageStatus, MessagesUpsertData } from '@telenexus/evolution';
import type { SandboxFault, SandboxFaultProbabilities } from './fault-injector';
import type { SandboxSettings } from './sandbox-options';
import type {
  SandboxConnectionState,
  SandboxDelivery,
  SandboxDeliveryFilter,
  SandboxInstanceView,
  SandboxStatusRecord,
  SandboxWebhookAttempt,
} from './sandbox-records';

export interface SandboxInstanceInput {
  readonly name: string;
  /** Default: a fresh uppercase UUID, as Evolution generates. */
  readonly token?: string;
  /** Default `open`. */
  readonly state?: SandboxConnectionState;
  /** The instance's own WhatsApp number (digits); default a random 2547… number. */
  readonly number?: string;
  readonly profileName?: string;
}

export interface SandboxReceiptInput {
  readonly instance: string;
  readonly keyId: string;
  readonly status: EvolutionMessageStatus;
  /** Default: the recipient of the sent message, or `0@s.whatsapp.net` for an unknown key id. */
  readonly remoteJid?: string;
}

export interface SandboxIncomingInput {
  readonly instance: string;
  /** The customer's number (digits or JID). */
  readonly number: string;
  readonly text: string;
  readonly pushName?: string;
  /** Default: a fresh 32-hex-digit id. */
  readonly id?: string;
}

export interface SandboxFaultState {
  readonly queue: readonly SandboxFault[];
  readonly probabilities: SandboxFaultProbabilities;
}

/**
 * The sandbox's control API: what the `/__sandbox` routes do, callable in-process. Not part of
 * Evolution. Methods throw `SandboxControlError` for bad input or unknown instances.
 */
export interface EvolutionSandboxControl {
  createInstance(input: SandboxInstanceInput): SandboxInstanceView;
  listInstances(): SandboxInstanceView[];
  /**
   * Changes the state and emits `connection.update` when the instance's webhook asks for it; a
   * pairing in progress ends.
   */
  setConnectionState(name: string, state: SandboxConnectionState, statusReason?: number): SandboxInstanceView;
  /**
   * WhatsApp drops the instance: `close` with a Baileys `statusReason` (default 401, logged out: it
   * needs a new QR code), emitted as `connection.update`. Its sends then fail with "Connection Closed".
   */
  disconnect(name: string, statusReason?: number): SandboxInstanceView;
  /**
   * The phone scans the QR code of the pairing in progress: `connection.update` `open` with the
   * owner's `wuid`, and the instance is open. Refused (conflict) when no QR code is shown.
   */
  scanQrCode(name: string): SandboxInstanceView;
  /** Numbers (any format) that sends will find not on WhatsApp; returns the whole list, digits only. */
  markNotOnWhatsApp(numbers: readonly string[]): string[];
  markOnWhatsApp(numbers: readonly string[]): string[];
  notOnWhatsApp(): string[];
  settings(): SandboxSettings;
  updateSettings(patch: Partial<SandboxSettings>): SandboxSettings;
  /** Appends forced outcomes for the next sends; returns the queue length. */
  enqueueFaults(faults: readonly SandboxFault[]): number;
  setFaultProbabilities(probabilities: SandboxFaultProbabilities): SandboxFaultState;
  faults(): SandboxFaultState;
  clearFaults(): void;
  /** The ledger, oldest first. */
  deliveries(filter?: SandboxDeliveryFilter): SandboxDelivery[];
  deliveryCount(filter?: SandboxDeliveryFilter): number;
  /** Status updates recorded so far (what findStatusMessage serves), optionally for one key id. */
  statusUpdates(keyId?: string): SandboxStatusRecord[];
  /** Records and emits a receipt now, whatever came before (for duplicate / out-of-order tests). */
  emitReceipt(input: SandboxReceiptInput): SandboxStatusRecord;
  /** Emits `messages.upsert` for a customer's message; returns its `data`. */
  simulateIncoming(input: SandboxIncomingInput): MessagesUpsertData;
  webhookAttempts(): SandboxWebhookAttempt[];
  /** Resolves when no receipt is scheduled and no webhook POST (or retry) is pending. */
  whenIdle(): Promise<void>;
  /** Forgets everything: instances, ledger, statuses, faults, pending work; settings back to the options. */
  reset(): void;
}

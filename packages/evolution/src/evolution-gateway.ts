import type { ConnectionState } from '@telenexus/core';
import type { SendOutcome } from './send-outcome';

/** Where and how to reach one Evolution instance. */
export interface EvolutionTarget {
  /** The instance's name in Evolution (routes take the name, not the UUID). */
  readonly instanceName: string;
  /** The instance's own token; the client falls back to the global key when absent. */
  readonly token?: string | null;
}

export interface SendTextRequest extends EvolutionTarget {
  /** Digits with country code, e.g. `254712345678`. */
  readonly number: string;
  readonly text: string;
}

/** Evolution's webhook settings for one instance (`POST /webhook/set/{name}`). */
export interface WebhookSettings {
  readonly url: string;
  /** UPPER_SNAKE event names, e.g. `MESSAGES_UPDATE`. */
  readonly events: readonly string[];
  /** When set, Evolution signs each webhook with an HS256 JWT sent as `Authorization: Bearer`. */
  readonly jwtKey?: string;
}

/** One instance as `GET /instance/fetchInstances` lists it. */
export interface EvolutionInstanceSummary {
  readonly name: string;
  readonly connectionState: ConnectionState;
}

/** Which sent messages `chat/findMessages` is asked for: to one number, within a time window. */
export interface SentMessageQuery {
  /** Digits with country code. */
  readonly number: string;
  readonly fromMs: number;
  readonly toMs: number;
}

/** A message Evolution stored as sent from the instance: its key id and its text. */
export interface FoundMessage {
  readonly keyId: string;
  readonly text: string;
}

/** One status update found by `POST /chat/findStatusMessage/{name}`. */
export interface StatusUpdate {
  readonly keyId: string;
  readonly status: string;
}

/**
 * The Evolution API v2 operations the product uses. Implemented by the HTTP client; tests may
 * implement it directly.
 */
export interface EvolutionGateway {
  /** Sends one text and classifies the outcome; never throws for an HTTP or network failure. */
  sendText(request: SendTextRequest): Promise<SendOutcome>;
  /** Reads the instance's connection state; throws an `EvolutionRequestError` on failure. */
  connectionState(target: EvolutionTarget): Promise<ConnectionState>;
  /** Configures the instance's webhook; throws an `EvolutionRequestError` on failure. */
  setWebhook(target: EvolutionTarget, settings: WebhookSettings): Promise<void>;
  /** Status updates WhatsApp reported for one sent message, oldest first (empty when none). */
  findStatusMessage(target: EvolutionTarget, providerMessageId: string): Promise<StatusUpdate[]>;
}

/** Whether a token is an instance's own, as Evolution itself judges it. */
export type InstanceTokenProof = 'proven' | 'not-proven';

/**
 * Proves who holds an Evolution instance: only its own token (or the global key, which is never a
 * proof) lets a call naming the instance through. Implemented by the HTTP client.
 */
export interface EvolutionTokenVerifier {
  /**
   * `proven` when a call naming the instance succeeds with `token` as its `apikey`; `not-proven` when
   * Evolution refuses it (401/403), does not know the instance (404), or `token` is the global key.
   * Throws an `EvolutionRequestError` when Evolution cannot tell (unreachable, timed out, 5xx, an
   * answer it never gives): an outage is never taken for a refusal.
   */
  proveInstanceToken(instanceName: string, token: string): Promise<InstanceTokenProof>;
}

import type { ConnectionState } from './connection-state';
import type { QuietHours } from '../pacing/sending-windows';

/** One WhatsApp number of an account, reached through one Evolution instance. */
export interface Instance {
  readonly id: string;
  readonly accountId: string;
  readonly name: string;
  /** The instance's name in Evolution: Evolution's routes take the name, not an id. */
  readonly evolutionInstanceName: string;
  /** The instance's own Evolution token, preferred over the global key when set. */
  readonly evolutionToken: string | null;
  readonly connectionState: ConnectionState;
  readonly connectionStateAt: Date | null;
  /** ISO 3166-1 alpha-2 country whose calling code local numbers (leading 0) receive. */
  readonly country: string | null;
  /** IANA time zone, used for quiet hours. */
  readonly timezone: string;
  /**
   * The language (BCP 47) of the account's own texts used when a notification names none, or null:
   * then a notification without a language gets the built-in English texts.
   */
  readonly defaultLanguage: string | null;
  /**
   * Key Evolution signs its webhook JWTs with; null until the webhook is configured. (The secret
   * path token of the webhook URL is not here: only its hash is stored, see evolution-webhook-token.)
   */
  readonly webhookJwtKey: string | null;
  readonly webhookConfiguredAt: Date | null;
  /** Why configuring Evolution's webhook last failed, if it did. */
  readonly webhookError: string | null;
  /** Minimum time between two sends, in ms (0 with no jitter turns pacing off). */
  readonly pacingMinGapMs: number;
  /** Random extra of 0 to this many ms on each gap. */
  readonly pacingJitterMs: number;
  /** Sends per local day, or null for no cap. */
  readonly dailyCap: number | null;
  /** Local hours in which nothing is sent, or null for none. */
  readonly quietHours: QuietHours | null;
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

/** Whether sends through the instance are spaced at all (gap or jitter set). */
export function isPaced(instance: Pick<Instance, 'pacingMinGapMs' | 'pacingJitterMs'>): boolean {
  return instance.pacingMinGapMs > 0 || instance.pacingJitterMs > 0;
}

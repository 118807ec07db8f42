import type { ConnectionState } from './connection-state';

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
  readonly createdAt: Date;
  readonly updatedAt: Date;
}

import type { ConnectionState } from './connection-state';

/** One change of an instance's WhatsApp connection, as its timeline keeps it. */
export interface ConnectionEvent {
  readonly state: ConnectionState;
  /** The state it changed from (`unknown` before anything was learnt). */
  readonly previousState: ConnectionState;
  /** Who noticed and how, in words (see {@link CONNECTION_REASONS}, or what a `connection.update` webhook said). */
  readonly reason: string;
  readonly at: Date;
}

/**
 * The latest QR code Evolution shows while an instance pairs (from `qrcode.updated` webhooks and
 * `/instance/connect` answers); gone once the instance is open.
 */
export interface InstanceQrCode {
  /** What the QR encodes (`2@…`). */
  readonly code: string;
  /** The QR as a `data:image/png;base64,…` URL. */
  readonly image: string;
  /** The 8-character code to type on the phone instead of scanning, when a number was given. */
  readonly pairingCode: string | null;
  /** How many QR codes this pairing has shown; Evolution gives up after its limit (30 by default). */
  readonly count: number;
  readonly updatedAt: Date;
}

/** Why a connection state was recorded, for the sources other than `connection.update`. */
export const CONNECTION_REASONS = {
  /** The dispatcher's periodic `connectionState` poll. */
  poll: 'connection poll',
  /** A send answered "Connection Closed", and `connectionState` was asked. */
  connectionClosedAnswer: 'probed after a "Connection Closed" answer',
  /** A send went through while the instance was recorded as closed. */
  sendSucceeded: 'a send succeeded',
  /** What Evolution answered when asked to connect (the console's Reconnect). */
  connectAnswer: 'connect answer',
  /** The account logged the number out. */
  loggedOut: 'logged out through the API',
} as const;

/**
 * What to do with a send WhatsApp never confirmed by the deadline (it may or may not have arrived):
 * - `fail` (the default): it fails with reason code `unconfirmed`; the billing system decides;
 * - `resend_once`: it is sent once more, recorded on its timeline; a customer may then get it twice.
 */
export const UNCONFIRMED_SEND_POLICIES = ['fail', 'resend_once'] as const;

export type UnconfirmedSendPolicy = (typeof UNCONFIRMED_SEND_POLICIES)[number];

export function isUnconfirmedSendPolicy(value: unknown): value is UnconfirmedSendPolicy {
  return typeof value === 'string' && (UNCONFIRMED_SEND_POLICIES as readonly string[]).includes(value);
}

/** A customer of ours: an ISP or other biller. Everything else belongs to exactly one account. */
export interface Account {
  readonly id: string;
  readonly name: string;
  readonly unconfirmedSendPolicy: UnconfirmedSendPolicy;
  readonly createdAt: Date;
}

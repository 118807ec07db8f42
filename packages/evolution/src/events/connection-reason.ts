/** Baileys' `DisconnectReason` codes, as Evolution reports them in `statusReason`. */
const BAILEYS_STATUS_REASONS: Readonly<Record<number, string>> = {
  401: 'logged out',
  403: 'forbidden',
  408: 'connection lost',
  411: 'multi-device mismatch',
  428: 'connection closed',
  440: 'connection replaced',
  500: 'bad session',
  503: 'WhatsApp unavailable',
  515: 'restart required',
};

/**
 * The reason a `connection.update` webhook gives, in words: `connection.update (statusReason 401:
 * logged out)`. `refused` is Evolution's state after the QR code limit was reached.
 */
export function connectionUpdateReason(evolutionState: string, statusReason: unknown): string {
  const refused = evolutionState === 'refused' ? ' refused: QR code limit reached' : '';
  if (typeof statusReason !== 'number' || !Number.isInteger(statusReason)) {
    return `connection.update${refused}`;
  }
  const name = BAILEYS_STATUS_REASONS[statusReason];
  return `connection.update${refused} (statusReason ${statusReason}${name ? `: ${name}` : ''})`;
}

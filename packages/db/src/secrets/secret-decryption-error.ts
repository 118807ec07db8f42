import type { SecretColumn } from './secret-columns';

/**
 * A stored secret that the configured SECRETS_KEY cannot open: the wrong key, a key removed too
 * early, or a value altered in the database. The message names the column and key id only — never
 * the ciphertext or a key — and says what to check, since it is a configuration problem.
 */
export class SecretDecryptionError extends Error {
  readonly column: SecretColumn;
  readonly keyId: string | undefined;

  constructor(column: SecretColumn, keyId: string | undefined, reason: string) {
    super(
      `A secret in ${column}${keyId ? ` (key id ${keyId})` : ''} cannot be decrypted: ${reason}. ` +
        'Check SECRETS_KEY: it must still hold every key the stored secrets were encrypted with.',
    );
    this.name = 'SecretDecryptionError';
    this.column = column;
    this.keyId = keyId;
  }
}

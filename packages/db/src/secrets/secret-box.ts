import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { SecretColumn } from './secret-columns';
import { SecretDecryptionError } from './secret-decryption-error';

export { SECRET_COLUMNS, type SecretColumn } from './secret-columns';

/** The keys a box works with: the current one encrypts, any of them decrypts (config's SecretsKeyRing). */
export interface SecretKeys {
  readonly current: { readonly id: string; readonly key: Buffer };
  key(id: string): Buffer | undefined;
}

/** Marks a stored value as ciphertext: `enc:v1:<keyId>:<base64url(iv ‖ tag ‖ ciphertext)>`. */
const PREFIX = 'enc:v1:';
const IV_BYTES = 12;
const TAG_BYTES = 16;

/**
 * AES-256-GCM for secrets stored in Postgres. Each value gets a fresh random 96-bit IV; the
 * authenticated data is the format, key id and column, so a ciphertext altered, relabelled with
 * another key id or copied into another column fails to open instead of decrypting.
 *
 * Values without the prefix are legacy plain text written before encryption: they open as
 * themselves until `telenexus secrets rotate` (or ingress's start) encrypts them.
 */
export class SecretBox {
  readonly #keys: SecretKeys;

  constructor(keys: SecretKeys) {
    this.#keys = keys;
  }

  /** Encrypts under the current key. */
  seal(column: SecretColumn, plain: string): string {
    const { id, key } = this.#keys.current;
    const iv = randomBytes(IV_BYTES);
    const cipher = createCipheriv('aes-256-gcm', key, iv);
    cipher.setAAD(additionalData(id, column));
    const ciphertext = Buffer.concat([cipher.update(plain, 'utf8'), cipher.final()]);
    return `${PREFIX}${id}:${Buffer.concat([iv, cipher.getAuthTag(), ciphertext]).toString('base64url')}`;
  }

  /** The plain value of a stored one; throws SecretDecryptionError, naming only the column and key id. */
  open(column: SecretColumn, stored: string): string {
    if (!isSealed(stored)) return stored;
    const rest = stored.slice(PREFIX.length);
    const colon = rest.indexOf(':');
    const id = rest.slice(0, Math.max(colon, 0));
    const packed = Buffer.from(rest.slice(colon + 1), 'base64url');
    if (colon <= 0 || packed.length < IV_BYTES + TAG_BYTES) {
      throw new SecretDecryptionError(column, id || undefined, 'it is not a well-formed ciphertext');
    }
    const key = this.#keys.key(id);
    if (!key) throw new SecretDecryptionError(column, id, 'SECRETS_KEY holds no key with this id');
    try {
      const decipher = createDecipheriv('aes-256-gcm', key, packed.subarray(0, IV_BYTES));
      decipher.setAAD(additionalData(id, column));
      decipher.setAuthTag(packed.subarray(IV_BYTES, IV_BYTES + TAG_BYTES));
      return Buffer.concat([
        decipher.update(packed.subarray(IV_BYTES + TAG_BYTES)),
        decipher.final(),
      ]).toString('utf8');
    } catch {
      throw new SecretDecryptionError(
        column,
        id,
        'the key with this id is not the one it was encrypted with, or the value was altered or moved',
      );
    }
  }

  /** Seals a value unless it is null (absent secrets stay absent). */
  sealNullable(column: SecretColumn, plain: string | null): string | null {
    return plain === null ? null : this.seal(column, plain);
  }

  openNullable(column: SecretColumn, stored: unknown): string | null {
    return typeof stored === 'string' ? this.open(column, stored) : null;
  }

  /** Whether a stored value is plain text or sealed under a key other than the current one. */
  needsSealing(stored: string): boolean {
    return keyIdOf(stored) !== this.#keys.current.id;
  }

  /** The id of the key the current ciphertexts are made with. */
  get currentKeyId(): string {
    return this.#keys.current.id;
  }
}

function additionalData(keyId: string, column: SecretColumn): Buffer {
  return Buffer.from(`${PREFIX}${keyId}:${column}`, 'utf8');
}

/** Whether a stored value is ciphertext (else legacy plain text). */
export function isSealed(stored: string): boolean {
  return stored.startsWith(PREFIX);
}

/** The key id a stored ciphertext names, or undefined for plain text. */
export function keyIdOf(stored: string): string | undefined {
  if (!isSealed(stored)) return undefined;
  const rest = stored.slice(PREFIX.length);
  const colon = rest.indexOf(':');
  return colon > 0 ? rest.slice(0, colon) : undefined;
}

/** SQL that is true for a stored value of `column` not sealed under `keyIdParameter` (plain or older key). */
export function needsSealingSql(column: string, keyIdParameter: string): string {
  return `(${column} IS NOT NULL AND NOT starts_with(${column}, '${PREFIX}' || ${keyIdParameter} || ':'))`;
}

import { randomBytes } from 'node:crypto';
import { inspect } from 'node:util';
import Joi from 'joi';

/** One AES-256 key of `SECRETS_KEY` and the id its ciphertexts name it by. */
export interface SecretsKey {
  readonly id: string;
  /** 32 bytes. */
  readonly key: Buffer;
}

/** What a key id may be: it is written into every ciphertext, so short and without `:` or `,`. */
const KEY_ID = /^[A-Za-z0-9_-]{1,32}$/;
const KEY_BYTES = 32;

/**
 * The keys of `SECRETS_KEY`: one or more comma-separated `<keyId>:<base64 of 32 bytes>`. The first
 * encrypts; every one decrypts, so a new key goes first and the old one stays after it until
 * `telenexus secrets rotate` has re-encrypted everything under the new one.
 *
 * The keys are held privately and the ring prints as `[SecretsKeyRing k1, k0]` (ids only), so a
 * config object logged or serialised never shows them.
 */
export class SecretsKeyRing {
  readonly #keys: readonly SecretsKey[];

  private constructor(keys: readonly SecretsKey[]) {
    this.#keys = keys;
  }

  /** Parses `SECRETS_KEY`; the error says what is wrong without repeating any key. */
  static parse(text: string): SecretsKeyRing {
    const entries = text
      .split(',')
      .map((entry) => entry.trim())
      .filter((entry) => entry !== '');
    if (entries.length === 0) throw new Error('must hold at least one <keyId>:<base64 key>');
    const keys: SecretsKey[] = [];
    for (const [index, entry] of entries.entries()) {
      const colon = entry.indexOf(':');
      const id = colon < 0 ? '' : entry.slice(0, colon);
      const encoded = colon < 0 ? '' : entry.slice(colon + 1);
      const where = `entry ${index + 1}`;
      if (!KEY_ID.test(id))
        throw new Error(`${where} must start with a key id (letters, digits, _ or -) and ':'`);
      if (keys.some((key) => key.id === id)) throw new Error(`key id ${id} appears twice`);
      const key = /^[A-Za-z0-9+/_-]+={0,2}$/.test(encoded) ? Buffer.from(encoded, 'base64') : Buffer.alloc(0);
      if (key.length !== KEY_BYTES) throw new Error(`key ${id} must be ${KEY_BYTES} bytes in base64`);
      keys.push({ id, key });
    }
    return new SecretsKeyRing(keys);
  }

  /** The key new ciphertexts are made with: the first. */
  get current(): SecretsKey {
    return this.#keys[0]!;
  }

  /** The key with this id, if the ring holds it. */
  key(id: string): Buffer | undefined {
    return this.#keys.find((key) => key.id === id)?.key;
  }

  get ids(): readonly string[] {
    return this.#keys.map((key) => key.id);
  }

  toJSON(): string {
    return this.toString();
  }

  toString(): string {
    return `[SecretsKeyRing ${this.ids.join(', ')}]`;
  }

  [inspect.custom](): string {
    return this.toString();
  }
}

/** A fresh `SECRETS_KEY` entry, `<keyId>:<base64 key>`; the id is the date and a random tag. */
export function newSecretsKeyEntry(now: Date = new Date()): string {
  const day = now.toISOString().slice(0, 10).replaceAll('-', '');
  return `k${day}${randomBytes(2).toString('hex')}:${randomBytes(KEY_BYTES).toString('base64')}`;
}

/**
 * The `SECRETS_KEY` variable, validated into a key ring. Required: a service that cannot decrypt its
 * secrets must not start, and one that made up its own key would write secrets nobody can read.
 * Messages never repeat the value.
 */
export const secretsKeyVariable = Joi.any()
  .custom((value: unknown) => {
    if (value instanceof SecretsKeyRing) return value;
    if (typeof value !== 'string') throw new Error('must be text');
    return SecretsKeyRing.parse(value);
  })
  .empty('')
  .required()
  .messages({
    'any.required':
      '"SECRETS_KEY" is required: one or more comma-separated <keyId>:<base64 of 32 bytes> (`npx telenexus secrets new-key` prints one; `npm start` writes one to .env)',
    'any.custom': '"SECRETS_KEY" {{#error.message}}',
  });

import { SecretsKeyRing } from '@telenexus/config';
import { SecretBox, isSealed, keyIdOf } from './secret-box';
import { SecretDecryptionError } from './secret-decryption-error';

const keyA = `a1:${Buffer.alloc(32, 1).toString('base64')}`;
const keyB = `b2:${Buffer.alloc(32, 2).toString('base64')}`;
/** Another key under the same id as keyA: what a mistyped SECRETS_KEY looks like. */
const impostorA = `a1:${Buffer.alloc(32, 9).toString('base64')}`;

const box = (secretsKey: string) => new SecretBox(SecretsKeyRing.parse(secretsKey));
const PLAIN = 'evolution-token-0123456789';

describe('SecretBox', () => {
  it('When a secret is sealed and opened with the same key, then it comes back unchanged, and the stored form holds neither it nor the key', () => {
    const sealed = box(keyA).seal('instances.evolution_token', PLAIN);
    expect(sealed).toMatch(/^enc:v1:a1:[A-Za-z0-9_-]+$/);
    expect(sealed).not.toContain(PLAIN);
    expect(sealed).not.toContain(Buffer.from(PLAIN).toString('base64url'));
    expect(sealed).not.toContain(keyA.slice(3));
    expect(box(keyA).open('instances.evolution_token', sealed)).toBe(PLAIN);
    expect(isSealed(sealed)).toBe(true);
    expect(keyIdOf(sealed)).toBe('a1');
  });

  it('When the same secret is sealed twice, then the ciphertexts differ (a fresh IV each time)', () => {
    const sealer = box(keyA);
    expect(sealer.seal('webhook_endpoints.secret', PLAIN)).not.toBe(
      sealer.seal('webhook_endpoints.secret', PLAIN),
    );
  });

  it('When it is opened with another key under the same id, then it fails with an error naming only the column and key id', () => {
    const sealed = box(keyA).seal('instances.webhook_jwt_key', PLAIN);
    const opening = () => box(impostorA).open('instances.webhook_jwt_key', sealed);
    expect(opening).toThrow(SecretDecryptionError);
    expect(opening).toThrow(/instances\.webhook_jwt_key \(key id a1\).*SECRETS_KEY/);
    const message = (() => {
      try {
        opening();
        return '';
      } catch (error) {
        return (error as Error).message;
      }
    })();
    for (const leak of [PLAIN, sealed, sealed.slice(10), impostorA.slice(3), keyA.slice(3)]) {
      expect(message).not.toContain(leak);
    }
  });

  it('When SECRETS_KEY no longer holds the key a secret was sealed with, then opening says which key id is missing', () => {
    const sealed = box(keyA).seal('instances.evolution_token', PLAIN);
    expect(() => box(keyB).open('instances.evolution_token', sealed)).toThrow(
      /key id a1\).*holds no key with this id/,
    );
  });

  it.each([
    [
      'a flipped ciphertext byte',
      (packed: Buffer) => packed.writeUInt8(packed.at(-1)! ^ 1, packed.length - 1),
    ],
    ['a flipped tag byte', (packed: Buffer) => packed.writeUInt8(packed[12]! ^ 1, 12)],
    ['a flipped IV byte', (packed: Buffer) => packed.writeUInt8(packed[0]! ^ 1, 0)],
  ])('When the stored value has %s, then it does not open', (_name, tamper) => {
    const sealed = box(keyA).seal('webhook_endpoints.secret', PLAIN);
    const prefix = 'enc:v1:a1:';
    const packed = Buffer.from(sealed.slice(prefix.length), 'base64url');
    tamper(packed);
    expect(() => box(keyA).open('webhook_endpoints.secret', prefix + packed.toString('base64url'))).toThrow(
      SecretDecryptionError,
    );
  });

  it('When a stored value is cut short, then it does not open', () => {
    expect(() => box(keyA).open('webhook_endpoints.secret', 'enc:v1:a1:AAAA')).toThrow(/not a well-formed/);
  });

  it('When a ciphertext is copied into another column, then it does not open there (the column is authenticated)', () => {
    const sealer = box(keyA);
    const jwtKey = sealer.seal('instances.webhook_jwt_key', PLAIN);
    expect(() => sealer.open('instances.evolution_token', jwtKey)).toThrow(SecretDecryptionError);
    expect(() => sealer.open('webhook_endpoints.secret', jwtKey)).toThrow(SecretDecryptionError);
  });

  it('When a ciphertext is relabelled with another key id of the ring, then it does not open', () => {
    const sealed = box(keyA).seal('instances.evolution_token', PLAIN);
    const relabelled = sealed.replace('enc:v1:a1:', 'enc:v1:b2:');
    expect(() => box(`${keyA},${keyB}`).open('instances.evolution_token', relabelled)).toThrow(
      SecretDecryptionError,
    );
  });

  it('When the key rotates (new key first, old kept after it), then old secrets still open, new ones use the new key, and only old ones need sealing again', () => {
    const before = box(keyA).seal('instances.evolution_token', PLAIN);
    const rotated = box(`${keyB},${keyA}`);
    expect(rotated.open('instances.evolution_token', before)).toBe(PLAIN);
    const after = rotated.seal('instances.evolution_token', PLAIN);
    expect(keyIdOf(after)).toBe('b2');
    expect(rotated.needsSealing(before)).toBe(true);
    expect(rotated.needsSealing(after)).toBe(false);
    // Once everything is under the new key, the old one can go.
    expect(box(keyB).open('instances.evolution_token', after)).toBe(PLAIN);
  });

  it('When a stored value is legacy plain text, then it opens as itself and needs sealing', () => {
    expect(box(keyA).open('instances.evolution_token', 'legacy-token')).toBe('legacy-token');
    expect(box(keyA).needsSealing('legacy-token')).toBe(true);
    expect(box(keyA).openNullable('instances.evolution_token', null)).toBeNull();
  });
});

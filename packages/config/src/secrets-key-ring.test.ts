import { inspect } from 'node:util';
import Joi from 'joi';
import { ConfigError } from './config-error';
import { loadConfig } from './load-config';
import { newSecretsKeyEntry, secretsKeyVariable, SecretsKeyRing } from './secrets-key-ring';

const key32 = Buffer.alloc(32, 5).toString('base64');
const schema = Joi.object<{ SECRETS_KEY: SecretsKeyRing }>({ SECRETS_KEY: secretsKeyVariable });
const load = (value: string | undefined) =>
  loadConfig(schema, value === undefined ? {} : { SECRETS_KEY: value }, (variables) => ({
    ring: variables.SECRETS_KEY,
  }));

function problemsOf(value: string | undefined): readonly string[] {
  try {
    load(value);
    return [];
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
}

describe('SECRETS_KEY', () => {
  it('When it holds several keys, then the first encrypts and every one can be found by id', () => {
    const other = Buffer.alloc(32, 6).toString('base64');
    const { ring } = load(`new:${key32}, old:${other}`);
    expect(ring.current.id).toBe('new');
    expect(ring.current.key).toEqual(Buffer.alloc(32, 5));
    expect(ring.key('old')).toEqual(Buffer.alloc(32, 6));
    expect(ring.key('gone')).toBeUndefined();
  });

  it.each([
    ['unset', undefined, /"SECRETS_KEY" is required: .*<keyId>:<base64 of 32 bytes>/],
    ['empty', '', /"SECRETS_KEY" is required/],
    ['a key without an id', key32, /entry 1 must start with a key id/],
    [
      'a key of 16 bytes',
      `k1:${Buffer.alloc(16, 1).toString('base64')}`,
      /key k1 must be 32 bytes in base64/,
    ],
    ['a key that is not base64', `k1:${'!'.repeat(44)}`, /key k1 must be 32 bytes/],
    ['an id used twice', `k1:${key32},k1:${key32}`, /key id k1 appears twice/],
    ['an id with a colon in it', `k:1:${key32}`, /key k must be 32 bytes/],
  ])(
    'When it is %s, then the start fails with a clear problem that does not repeat the key',
    (_name, value, expected) => {
      const problems = problemsOf(value);
      expect(problems).toHaveLength(1);
      expect(problems[0]).toMatch(expected);
      expect(problems[0]).not.toContain(key32);
    },
  );

  it('When the config holding it is logged or serialised, then only the key ids show', () => {
    const { ring } = load(`k1:${key32}`);
    const config = { secretsKey: ring };
    expect(JSON.stringify(config)).toBe('{"secretsKey":"[SecretsKeyRing k1]"}');
    expect(inspect(config)).not.toContain(key32);
    expect(`${String(ring)}`).not.toContain(key32);
  });

  it('When a new key is made, then it is a valid entry with a fresh 32-byte key each time', () => {
    const entry = newSecretsKeyEntry(new Date('2026-03-01T00:00:00Z'));
    expect(entry).toMatch(/^k20260301[0-9a-f]{4}:[A-Za-z0-9+/]{43}=$/);
    expect(SecretsKeyRing.parse(entry).current.key).toHaveLength(32);
    expect(newSecretsKeyEntry()).not.toBe(newSecretsKeyEntry());
  });
});

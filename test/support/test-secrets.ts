import { SecretsKeyRing } from '@telenexus/config';
import { SecretBox } from '@telenexus/db';

/**
 * The SECRETS_KEY of every test: in-process apps get a box over it, spawned services get it in their
 * environment (they run with ENV_FILE=/dev/null, so nothing else would give them one).
 */
export const TEST_SECRETS_KEY = `test1:${Buffer.alloc(32, 7).toString('base64')}`;

export function testSecretBox(secretsKey: string = TEST_SECRETS_KEY): SecretBox {
  return new SecretBox(SecretsKeyRing.parse(secretsKey));
}

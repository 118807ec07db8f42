import { newSecretsKeyEntry } from '@telenexus/config';
import { SECRET_COLUMNS, SecretResealer } from '@telenexus/db';
import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';

/**
 * `telenexus secrets rotate`: re-encrypts every stored secret not yet under the first key of
 * SECRETS_KEY (legacy plain text included), in batches; running it again changes nothing. Afterwards
 * the other keys can be removed from SECRETS_KEY.
 */
export async function rotateSecretsCommand(
  config: CliConfig,
  output: Output,
  args: { readonly json: boolean },
): Promise<void> {
  const { keyId, counts } = await withDatabase(config, async ({ dataSource, secrets }) => ({
    keyId: secrets.currentKeyId,
    counts: await new SecretResealer(dataSource, secrets).reseal('not-current-key'),
  }));
  if (args.json) {
    output.result(JSON.stringify({ key_id: keyId, reencrypted: counts }));
    return;
  }
  for (const column of SECRET_COLUMNS) output.result(`${column}: ${counts[column]} re-encrypted`);
  output.say(
    `Every stored secret is now encrypted with key ${keyId}; other keys can be removed from SECRETS_KEY.`,
  );
}

/** `telenexus secrets new-key`: prints a fresh SECRETS_KEY entry and how to bring it in. */
export function newSecretsKeyCommand(output: Output): void {
  output.result(newSecretsKeyEntry());
  output.say(
    'Put it first in SECRETS_KEY, keeping the current key after it (SECRETS_KEY=<new>,<current>),\n' +
      'restart ingress and the dispatcher, then run `telenexus secrets rotate` and remove the old key.',
  );
}

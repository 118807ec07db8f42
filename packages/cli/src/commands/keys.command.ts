import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';

export interface CreateKeyArguments {
  readonly accountId: string;
  readonly name: string;
  readonly permissions: readonly string[];
  readonly json: boolean;
}

/** `telenexus keys create …`: the key is printed once and cannot be shown again. */
export async function createKeyCommand(
  config: CliConfig,
  output: Output,
  args: CreateKeyArguments,
): Promise<void> {
  const created = await withDatabase(config, ({ provisioning }) =>
    provisioning.apiKeys.create({
      accountId: args.accountId,
      name: args.name,
      permissions: args.permissions,
    }),
  );
  if (args.json) {
    output.result(JSON.stringify({ id: created.record.id, key: created.secret }));
    return;
  }
  output.result(created.secret);
  output.say(
    `API key "${created.record.name}" (${created.record.permissions.join(', ')}) created: ${created.record.id}\n` +
      'Copy the key above now: it is stored only as a hash and cannot be shown again.',
  );
}

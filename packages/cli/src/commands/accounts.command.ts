import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';

export interface CreateAccountArguments {
  readonly name: string;
  readonly json: boolean;
}

/**
 * `telenexus accounts create --name NAME [--json]`: the account and its first admin key, which manages
 * everything else through the API. The key is printed once.
 */
export async function createAccountCommand(
  config: CliConfig,
  output: Output,
  args: CreateAccountArguments,
): Promise<void> {
  const { account, adminKey } = await withDatabase(config, ({ provisioning }) =>
    provisioning.accounts.createAccountWithAdminKey(args.name),
  );
  if (args.json) {
    output.result(JSON.stringify({ id: account.id, admin_key: adminKey.secret }));
    return;
  }
  output.result(`Account created: ${account.id} (${account.name})`);
  output.result(`Admin API key: ${adminKey.secret}`);
  output.say('Copy the admin key now: it is stored only as a hash and cannot be shown again.');
}

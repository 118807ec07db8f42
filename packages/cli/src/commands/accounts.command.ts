import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';

export interface CreateAccountArguments {
  readonly name: string;
  readonly json: boolean;
}

/** `telenexus accounts create --name NAME [--json]` */
export async function createAccountCommand(
  config: CliConfig,
  output: Output,
  args: CreateAccountArguments,
): Promise<void> {
  const account = await withDatabase(config, ({ provisioning }) => provisioning.createAccount(args.name));
  if (args.json) output.result(JSON.stringify({ id: account.id }));
  else output.result(`Account created: ${account.id} (${account.name})`);
}

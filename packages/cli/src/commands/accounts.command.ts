import { DomainError, isUnconfirmedSendPolicy, isUuid, UNCONFIRMED_SEND_POLICIES } from '@telenexus/core';
import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';
import { UsageError } from '../usage-error';

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

export interface UpdateAccountArguments {
  readonly accountId: string;
  readonly unconfirmedSends: string;
  readonly json: boolean;
}

/**
 * `telenexus accounts update --account ID --unconfirmed-sends fail|resend_once`: what happens to the
 * account's sends WhatsApp never confirmed (see UNCONFIRMED_SEND_POLICIES).
 */
export async function updateAccountCommand(
  config: CliConfig,
  output: Output,
  args: UpdateAccountArguments,
): Promise<void> {
  const policy = args.unconfirmedSends;
  if (!isUnconfirmedSendPolicy(policy)) {
    throw new UsageError(`--unconfirmed-sends must be ${UNCONFIRMED_SEND_POLICIES.join(' or ')}`);
  }
  const account = await withDatabase(config, async ({ accounts }) =>
    isUuid(args.accountId) ? accounts.setUnconfirmedSendPolicy(args.accountId, policy) : null,
  );
  if (!account) throw new DomainError('not_found', 'Account not found');
  if (args.json) {
    output.result(JSON.stringify({ id: account.id, unconfirmed_sends: account.unconfirmedSendPolicy }));
    return;
  }
  output.result(`Account ${account.id}: unconfirmed sends ${account.unconfirmedSendPolicy}`);
}

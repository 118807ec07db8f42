import { DomainError, isUnconfirmedSendPolicy, isUuid, UNCONFIRMED_SEND_POLICIES } from '@telenexus/core';
import { toApiKeyView } from '@telenexus/provisioning';
import { recordCliAudit } from '../cli-audit';
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
  const { account, adminKey } = await withDatabase(config, async ({ provisioning, auditEvents }) => {
    const created = await provisioning.accounts.createAccountWithAdminKey(args.name);
    const accountId = created.account.id;
    await recordCliAudit(auditEvents, output, {
      accountId,
      action: 'account.create',
      target: { type: 'account', id: accountId },
      after: { name: created.account.name },
    });
    await recordCliAudit(auditEvents, output, {
      accountId,
      action: 'api_key.create',
      target: { type: 'api_key', id: created.adminKey.record.id },
      after: toApiKeyView(created.adminKey.record),
    });
    return created;
  });
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
  const account = await withDatabase(config, async ({ accounts, auditEvents }) => {
    const before = isUuid(args.accountId) ? await accounts.findById(args.accountId) : null;
    const after = before ? await accounts.setUnconfirmedSendPolicy(before.id, policy) : null;
    if (before && after) {
      await recordCliAudit(auditEvents, output, {
        accountId: after.id,
        action: 'account.update',
        target: { type: 'account', id: after.id },
        before: { unconfirmed_sends: before.unconfirmedSendPolicy },
        after: { unconfirmed_sends: after.unconfirmedSendPolicy },
      });
    }
    return after;
  });
  if (!account) throw new DomainError('not_found', 'Account not found');
  if (args.json) {
    output.result(JSON.stringify({ id: account.id, unconfirmed_sends: account.unconfirmedSendPolicy }));
    return;
  }
  output.result(`Account ${account.id}: unconfirmed sends ${account.unconfirmedSendPolicy}`);
}

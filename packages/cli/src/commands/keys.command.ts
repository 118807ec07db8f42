import { toApiKeyView } from '@telenexus/provisioning';
import { DomainError, isUuid } from '@telenexus/core';
import { recordCliAudit } from '../cli-audit';
import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';
import { table } from '../table';

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
  const created = await withDatabase(config, async ({ provisioning, auditEvents }) => {
    const key = await provisioning.apiKeys.create({
      accountId: args.accountId,
      name: args.name,
      permissions: args.permissions,
    });
    await recordCliAudit(auditEvents, output, {
      accountId: key.record.accountId,
      action: 'api_key.create',
      target: { type: 'api_key', id: key.record.id },
      after: toApiKeyView(key.record),
    });
    return key;
  });
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

export interface ListKeysArguments {
  readonly accountId: string;
  readonly json: boolean;
}

/** `telenexus keys list --account ID`: the account's keys as the API lists them, never the keys. */
export async function listKeysCommand(
  config: CliConfig,
  output: Output,
  args: ListKeysArguments,
): Promise<void> {
  const keys = await withDatabase(config, async ({ accounts, provisioning }) => {
    if (!isUuid(args.accountId) || !(await accounts.findById(args.accountId)))
      throw new DomainError('not_found', 'Account not found');
    return provisioning.apiKeys.list(args.accountId);
  });
  const views = keys.map((key) => toApiKeyView(key));
  if (args.json) {
    output.result(JSON.stringify({ data: views }));
    return;
  }
  output.result(
    table(
      ['ID', 'NAME', 'KEY', 'PERMISSIONS', 'STATUS', 'LAST USED'],
      views.map((key) => [
        key.id,
        key.name,
        `${key.prefix}…${key.last4}`,
        key.permissions.join(','),
        key.status,
        key.last_used_at ?? 'never',
      ]),
    ),
  );
}

export interface RevokeKeyArguments {
  readonly keyId: string;
  readonly json: boolean;
}

/**
 * `telenexus keys revoke --key ID`: stops the key at once, in whichever account it is; an account's
 * last admin key cannot be revoked, as through the API.
 */
export async function revokeKeyCommand(
  config: CliConfig,
  output: Output,
  args: RevokeKeyArguments,
): Promise<void> {
  const revoked = await withDatabase(config, async ({ apiKeys, provisioning, auditEvents }) => {
    const key = isUuid(args.keyId) ? await apiKeys.findById(args.keyId) : null;
    if (!key) throw new DomainError('not_found', 'API key not found');
    const after = await provisioning.apiKeys.revoke(key.accountId, key.id);
    await recordCliAudit(auditEvents, output, {
      accountId: key.accountId,
      action: 'api_key.revoke',
      target: { type: 'api_key', id: key.id },
      before: toApiKeyView(key),
      after: toApiKeyView(after),
    });
    return after;
  });
  const view = toApiKeyView(revoked);
  if (args.json) {
    output.result(JSON.stringify(view));
    return;
  }
  output.result(`API key revoked: ${view.id} (${view.name}, ${view.prefix}…${view.last4})`);
}

import { OPERATOR_ACTOR, toInstanceView } from '@telenexus/provisioning';
import { DomainError, isUuid, type Instance } from '@telenexus/core';
import { recordCliAudit } from '../cli-audit';
import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';
import { table } from '../table';

export interface CreateInstanceArguments {
  readonly accountId: string;
  readonly name: string;
  readonly evolutionInstanceName: string;
  readonly evolutionToken?: string;
  readonly country?: string;
  readonly timezone?: string;
  readonly json: boolean;
}

/** `telenexus instances create …`: links one Evolution instance (one WhatsApp number) to an account. */
export async function createInstanceCommand(
  config: CliConfig,
  output: Output,
  args: CreateInstanceArguments,
): Promise<void> {
  const instance = await withDatabase(config, async ({ provisioning, auditEvents }) => {
    const created = await provisioning.instances.create(
      {
        accountId: args.accountId,
        name: args.name,
        evolutionInstanceName: args.evolutionInstanceName,
        evolutionToken: args.evolutionToken ?? null,
        country: args.country ?? null,
        timezone: args.timezone ?? null,
      },
      OPERATOR_ACTOR,
    );
    await recordCliAudit(auditEvents, output, {
      accountId: created.accountId,
      action: 'instance.create',
      target: { type: 'instance', id: created.id },
      after: toInstanceView(created),
    });
    return created;
  });
  if (args.json) {
    output.result(JSON.stringify({ id: instance.id }));
    return;
  }
  output.result(`Instance created: ${instance.id}`);
  output.say(
    `Billing systems send to ${config.publicBaseUrl}/api/v1/billing/send-notification?instance_id=${instance.id}`,
  );
  reportWebhook(output, instance);
}

export interface ApplyWebhookArguments {
  readonly instanceId: string;
}

/** `telenexus instances webhook --instance ID`: points the instance's Evolution webhook at us again. */
export async function applyInstanceWebhookCommand(
  config: CliConfig,
  output: Output,
  args: ApplyWebhookArguments,
): Promise<number> {
  const instance = await withDatabase(config, async ({ instances, provisioning, auditEvents }) => {
    const found = isUuid(args.instanceId) ? await instances.findById(args.instanceId) : null;
    if (!found) return null;
    const applied = await provisioning.instances.reapplyWebhook(found.accountId, found.id);
    await recordCliAudit(auditEvents, output, {
      accountId: found.accountId,
      action: 'instance.evolution_webhook',
      target: { type: 'instance', id: found.id },
      before: toInstanceView(found),
      after: toInstanceView(applied),
    });
    return applied;
  });
  if (!instance) {
    output.say('Error: Instance not found');
    return 1;
  }
  reportWebhook(output, instance);
  return instance.webhookError ? 1 : 0;
}

function reportWebhook(output: Output, instance: Instance): void {
  if (instance.webhookError) {
    output.say(
      `Warning: Evolution's webhook is not configured (${instance.webhookError}); delivery receipts will not arrive.\n` +
        `Fix it, then run: npx telenexus instances webhook --instance ${instance.id}`,
    );
  } else {
    output.say("Evolution's webhook points at Telenexus: delivery receipts and replies will arrive.");
  }
}

export interface ListInstancesArguments {
  /** One account's instances; every account's when absent (the operator's view). */
  readonly accountId?: string;
  readonly json: boolean;
}

/** `telenexus instances list [--account ID]`: instances as the API shows them, with their account. */
export async function listInstancesCommand(
  config: CliConfig,
  output: Output,
  args: ListInstancesArguments,
): Promise<void> {
  const instances = await withDatabase(config, async ({ accounts, instances: repository }) => {
    if (args.accountId === undefined) return repository.listAll();
    if (!isUuid(args.accountId) || !(await accounts.findById(args.accountId)))
      throw new DomainError('not_found', 'Account not found');
    return repository.listForAccount(args.accountId);
  });
  const rows = instances.map((instance) => ({ account_id: instance.accountId, ...toInstanceView(instance) }));
  if (args.json) {
    output.result(JSON.stringify({ data: rows }));
    return;
  }
  output.result(
    table(
      ['ID', 'ACCOUNT', 'NAME', 'EVOLUTION INSTANCE', 'CONNECTION', 'WEBHOOK'],
      rows.map((row) => [
        row.id,
        row.account_id,
        row.name,
        row.evolution_instance_name,
        row.connection_state,
        row.evolution_webhook.error
          ? `error: ${row.evolution_webhook.error}`
          : row.evolution_webhook.configured_at
            ? 'configured'
            : 'not configured',
      ]),
    ),
  );
}

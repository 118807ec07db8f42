import type { CliConfig } from '../cli-config';
import { withDatabase } from '../database-session';
import type { Output } from '../output';

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
  const instance = await withDatabase(config, ({ provisioning }) =>
    provisioning.createInstance({
      accountId: args.accountId,
      name: args.name,
      evolutionInstanceName: args.evolutionInstanceName,
      evolutionToken: args.evolutionToken ?? null,
      country: args.country ?? null,
      timezone: args.timezone ?? null,
    }),
  );
  if (args.json) {
    output.result(JSON.stringify({ id: instance.id }));
    return;
  }
  output.result(`Instance created: ${instance.id}`);
  output.say(
    `Billing systems send to ${config.publicBaseUrl}/api/v1/billing/send-notification?instance_id=${instance.id}`,
  );
}

import type { DatabaseSession } from './database-session';

/** What a first start creates so a newcomer can send at once. */
export interface DemoSetup {
  readonly accountId: string;
  readonly instanceId: string;
  readonly apiKey: string;
  /** Manages keys, instances and webhook endpoints through the API. */
  readonly adminKey: string;
}

/** The Evolution instance name the demo uses (the sandbox creates it on first use). */
export const DEMO_EVOLUTION_INSTANCE = 'billing01';

/**
 * On an empty database, creates a demo account with an admin key, a sending key and a Kenyan billing
 * instance whose Evolution webhook points at us,
 * matching the guide's example. Does nothing when any account exists.
 */
export async function seedDemoIfEmpty({
  accounts,
  provisioning,
}: DatabaseSession): Promise<DemoSetup | undefined> {
  if ((await accounts.count()) > 0) return undefined;
  const { account, adminKey } = await provisioning.accounts.createAccountWithAdminKey('Demo ISP');
  const key = await provisioning.apiKeys.create({
    accountId: account.id,
    name: 'Demo billing integration',
    permissions: ['send_message', 'receive_message'],
  });
  const instance = await provisioning.instances.create({
    accountId: account.id,
    name: 'Billing',
    evolutionInstanceName: DEMO_EVOLUTION_INSTANCE,
    country: 'KE',
    timezone: 'Africa/Nairobi',
  });
  return { accountId: account.id, instanceId: instance.id, apiKey: key.secret, adminKey: adminKey.secret };
}

import { OPERATOR_ACTOR } from '@telenexus/provisioning';
import type { DatabaseSession } from './database-session';

/** What a first start creates: an account with an admin key and a sending key. */
export interface FirstAccount {
  readonly accountId: string;
  readonly apiKey: string;
  /** Manages keys, instances and webhook endpoints through the API. */
  readonly adminKey: string;
}

/** With the sandbox, a first start also links a demo instance, so a newcomer can send at once. */
export interface DemoSetup extends FirstAccount {
  readonly instanceId: string;
}

/** The Evolution instance name the demo uses (the sandbox creates it on first use). */
export const DEMO_EVOLUTION_INSTANCE = 'billing01';

/**
 * On an empty database, creates an account with an admin key and a sending key (send_message,
 * receive_message). Does nothing when any account exists.
 */
export async function seedAccountIfEmpty(
  { accounts, provisioning }: DatabaseSession,
  name: string,
): Promise<FirstAccount | undefined> {
  if ((await accounts.count()) > 0) return undefined;
  const { account, adminKey } = await provisioning.accounts.createAccountWithAdminKey(name);
  const key = await provisioning.apiKeys.create({
    accountId: account.id,
    name: 'Billing integration',
    permissions: ['send_message', 'receive_message'],
  });
  return { accountId: account.id, apiKey: key.secret, adminKey: adminKey.secret };
}

/**
 * The sandbox's first start: the account above plus a Kenyan billing instance whose (simulated)
 * Evolution webhook points at us, matching the guide's example. Never used against a real
 * Evolution, whose numbers nobody asked us to touch.
 */
export async function seedDemoIfEmpty(session: DatabaseSession): Promise<DemoSetup | undefined> {
  const account = await seedAccountIfEmpty(session, 'Demo ISP');
  if (!account) return undefined;
  const instance = await session.provisioning.instances.create(
    {
      accountId: account.accountId,
      name: 'Billing',
      evolutionInstanceName: DEMO_EVOLUTION_INSTANCE,
      country: 'KE',
      timezone: 'Africa/Nairobi',
    },
    // The operator seeds its own sandbox, with the global key: no token to prove.
    OPERATOR_ACTOR,
  );
  return { ...account, instanceId: instance.id };
}

/** What a first start created: the sandbox's demo, or (with a real Evolution) an account alone. */
export type FirstStart =
  | { readonly kind: 'demo'; readonly demo: DemoSetup }
  | { readonly kind: 'account'; readonly account: FirstAccount };

/**
 * On an empty database, what `start` and `init` create: with the built-in sandbox the demo; with a
 * real Evolution an account and its keys alone, leaving Evolution untouched.
 */
export async function createFirstAccount(
  session: DatabaseSession,
  evolution: { readonly sandbox: boolean },
): Promise<FirstStart | undefined> {
  if (evolution.sandbox) {
    const demo = await seedDemoIfEmpty(session);
    return demo && { kind: 'demo', demo };
  }
  const account = await seedAccountIfEmpty(session, 'My ISP');
  return account && { kind: 'account', account };
}

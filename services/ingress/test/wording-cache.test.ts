import { AccountWordingRepository, PostgresChangeFeed, WORDING_CHANGES_CHANNEL } from '@telenexus/db';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant } from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { CachedAccountWording } from '../src/notifications/cached-account-wording';

/**
 * Each account's wording, kept in memory by each replica for rendering notifications and forgotten on
 * every change the database announces. An isolated database: the test waits for what it hears.
 */
const context = useTestDatabase({ isolated: true });
let feed: PostgresChangeFeed;
let wording: AccountWordingRepository;
const heard: string[] = [];

beforeAll(async () => {
  wording = new AccountWordingRepository(context.db.dataSource);
  feed = new PostgresChangeFeed({ url: context.url, channels: [WORDING_CHANGES_CHANNEL] });
  feed.onChange((payload) => heard.push(payload));
  await feed.start();
});

afterAll(async () => {
  await feed.stop();
});

/** Waits until a marker announced now is heard: every change committed before it has been heard too. */
async function heardEverything(marker: string): Promise<void> {
  await context.db.dataSource.query('SELECT pg_notify($1, $2)', [WORDING_CHANGES_CHANNEL, marker]);
  await waitFor(() => heard.includes(marker), `the marker ${marker}`);
}

describe('Wording cache', () => {
  it('When wording is read again, then Postgres is asked once; when another replica saves a text, deletes it or changes a field, the next read sees it', async () => {
    const tenant = await createTenant(context.db);
    let reads = 0;
    const cache = new CachedAccountWording(
      {
        read: (accountId) => {
          reads += 1;
          return wording.read(accountId);
        },
      },
      feed,
    );

    expect((await cache.forAccount(tenant.accountId)).templates).toEqual([]);
    await cache.forAccount(tenant.accountId);
    expect(reads).toBe(1);

    const key = {
      accountId: tenant.accountId,
      instanceId: null,
      messageType: 'invoice',
      language: 'sw',
    } as const;
    await wording.saveTemplate(key, 'Ankara {{invoice_id}}');
    await heardEverything('saved');
    expect((await cache.forAccount(tenant.accountId)).templates.map((template) => template.text)).toEqual([
      'Ankara {{invoice_id}}',
    ]);

    await wording.updateFields(tenant.accountId, { paymentInstructions: 'Paybill 247247' });
    await heardEverything('fields');
    expect((await cache.forAccount(tenant.accountId)).paymentInstructions).toBe('Paybill 247247');

    await wording.deleteTemplate(key);
    await heardEverything('deleted');
    expect((await cache.forAccount(tenant.accountId)).templates).toEqual([]);
    expect(reads).toBe(4);
  });

  it('When an instance with its own text is deleted, then its text is no longer read', async () => {
    const tenant = await createTenant(context.db);
    await wording.saveTemplate(
      { accountId: tenant.accountId, instanceId: tenant.instance.id, messageType: 'overdue', language: 'en' },
      'Overdue: {{amount}}',
    );
    expect((await wording.read(tenant.accountId))?.templates).toHaveLength(1);
    await context.db.instances.softDelete(tenant.accountId, tenant.instance.id);
    expect((await wording.read(tenant.accountId))?.templates).toEqual([]);
  });
});

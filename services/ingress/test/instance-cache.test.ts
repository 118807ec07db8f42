import { INSTANCE_CHANGES_CHANNEL, PostgresChangeFeed } from '@telenexus/db';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant } from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { CachedInstanceFinder } from '../src/notifications/cached-instance-finder';

/**
 * The instances sends go through, kept in memory by each replica and forgotten on every change the
 * database announces. An isolated database: the test counts the announcements it hears.
 */
const context = useTestDatabase({ isolated: true });
let feed: PostgresChangeFeed;
const heard: string[] = [];

beforeAll(async () => {
  feed = new PostgresChangeFeed({ url: context.url, channels: [INSTANCE_CHANGES_CHANNEL] });
  feed.onChange((payload) => heard.push(payload));
  await feed.start();
});

afterAll(async () => {
  await feed.stop();
});

/** Waits until a marker announced now is heard: every change committed before it has been heard too. */
async function heardEverything(marker: string): Promise<void> {
  await context.db.dataSource.query('SELECT pg_notify($1, $2)', [INSTANCE_CHANGES_CHANNEL, marker]);
  await waitFor(() => heard.includes(marker), `the marker ${marker}`);
}

function countingFinder() {
  const counted = { lookups: 0 };
  return {
    counted,
    finder: {
      findById: (id: string) => {
        counted.lookups += 1;
        return context.db.instances.findById(id);
      },
    },
  };
}

describe('Instance cache', () => {
  it('When an instance is read again, then Postgres is asked once; when it changes or is deleted, the next read sees it', async () => {
    const tenant = await createTenant(context.db);
    await heardEverything('created');
    const { finder, counted } = countingFinder();
    const cache = new CachedInstanceFinder(finder, feed);

    await cache.findForAccount(tenant.accountId, tenant.instance.id);
    const again = await cache.findForAccount(tenant.accountId, tenant.instance.id);
    expect(again?.connectionState).toBe(tenant.instance.connectionState);
    expect(counted.lookups).toBe(1);

    await context.db.instances.updateConnectionState(tenant.instance.id, 'close', 'test: logged out');
    await heardEverything('disconnected');
    expect((await cache.findForAccount(tenant.accountId, tenant.instance.id))?.connectionState).toBe('close');
    expect(counted.lookups).toBe(2);

    await context.db.instances.softDelete(tenant.accountId, tenant.instance.id);
    await heardEverything('deleted');
    expect(await cache.findForAccount(tenant.accountId, tenant.instance.id)).toBeNull();
  });

  it("When another account asks for a cached instance's id, then it is not found", async () => {
    const owner = await createTenant(context.db);
    const stranger = await createTenant(context.db);
    await heardEverything('two tenants');
    const { finder } = countingFinder();
    const cache = new CachedInstanceFinder(finder, feed);

    expect((await cache.findForAccount(owner.accountId, owner.instance.id))?.id).toBe(owner.instance.id);
    expect(await cache.findForAccount(stranger.accountId, owner.instance.id)).toBeNull();
  });
});

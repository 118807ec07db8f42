import request from 'supertest';
import { apiKeyLookupPrefix } from '@telenexus/core';
import { API_KEY_CHANGES_CHANNEL, PostgresChangeFeed } from '@telenexus/db';
import { useTestDatabase } from '../../../test/support/use-test-database';
import { createTenant } from '../../../test/support/test-context';
import { waitFor } from '../../../test/support/wait-for';
import { CachedApiKeyStore } from '../src/auth/cached-api-key-store';
import { createIngressHarness } from '../../../test/support/ingress-harness';

/**
 * Two ingress replicas cache keys in memory; a key changed through any path (here the repository,
 * as the API and the CLI do) is forgotten by both as soon as the change commits. An isolated
 * database: the feed hears every key change in it, and the test counts what it hears.
 */
const context = useTestDatabase({ isolated: true });
const feeds: PostgresChangeFeed[] = [];

afterEach(async () => {
  await Promise.all(feeds.splice(0).map((feed) => feed.stop()));
});

async function listeningFeed(heard: string[] = [], reconnectMs = 20): Promise<PostgresChangeFeed> {
  const feed = new PostgresChangeFeed({ url: context.url, channels: [API_KEY_CHANGES_CHANNEL], reconnectMs });
  feed.onChange((payload) => heard.push(payload));
  feeds.push(feed);
  await feed.start();
  expect(feed.listening).toBe(true);
  return feed;
}

/**
 * Announces a marker on the channel and waits until every listener has heard it: everything
 * committed before it has been heard. (The marker is an announcement too: caches forget on it.)
 */
async function heardEverythingUpTo(marker: string, ...listeners: string[][]): Promise<string[]> {
  await context.db.dataSource.query('SELECT pg_notify($1, $2)', [API_KEY_CHANGES_CHANNEL, marker]);
  await waitFor(() => listeners.every((heard) => heard.includes(marker)), `the marker ${marker}`);
  const [first] = listeners;
  return first!.slice(0, first!.indexOf(marker));
}

/** Ends every change feed's connection to the test database, as a restart or a network cut would. */
async function cutFeedConnections(): Promise<void> {
  await context.db.dataSource.query(
    `SELECT pg_terminate_backend(pid) FROM pg_stat_activity
      WHERE application_name = 'telenexus-change-feed' AND datname = current_database()`,
  );
}

/** Reads the prefix until the cache keeps it (a read that overlaps an announcement is not kept). */
async function cachedAt(
  cache: CachedApiKeyStore,
  counted: { lookups: number },
  prefix: string,
): Promise<void> {
  await waitFor(async () => {
    await cache.findActiveByLookupPrefix(prefix);
    const before = counted.lookups;
    await cache.findActiveByLookupPrefix(prefix);
    return counted.lookups === before;
  }, 'the key to be cached');
}

/** Counts the lookups that reach Postgres. */
function countingStore() {
  const counted = { lookups: 0 };
  const store = {
    findActiveByLookupPrefix: (prefix: string) => {
      counted.lookups += 1;
      return context.db.apiKeys.findActiveByLookupPrefix(prefix);
    },
    touchLastUsed: (id: string) => context.db.apiKeys.touchLastUsed(id),
  };
  return { store, counted };
}

describe('API key cache', () => {
  it('When a key is created, used and revoked, then the change feed announces its prefix for the creation and the revocation only', async () => {
    const heard: string[] = [];
    await listeningFeed(heard);

    const tenant = await createTenant(context.db);
    await context.db.apiKeys.touchLastUsed(tenant.apiKeyId);
    await context.db.apiKeys.revoke(tenant.accountId, tenant.apiKeyId);

    const prefix = apiKeyLookupPrefix(tenant.apiKey);
    expect(await heardEverythingUpTo('end-1', heard)).toEqual([prefix, prefix]);
  });

  it('When two replicas cache a key and it is revoked, then neither finds it any more and both read it from Postgres only once before', async () => {
    const replicas = [];
    for (let i = 0; i < 2; i += 1) {
      const { store, counted } = countingStore();
      const heard: string[] = [];
      replicas.push({ cache: new CachedApiKeyStore(store, await listeningFeed(heard)), counted, heard });
    }
    const tenant = await createTenant(context.db);
    const prefix = apiKeyLookupPrefix(tenant.apiKey);
    // The creation's announcement must not land between the reads below, or nothing would be cached.
    await heardEverythingUpTo('created', ...replicas.map((replica) => replica.heard));

    for (const replica of replicas) {
      for (let i = 0; i < 3; i += 1) {
        expect((await replica.cache.findActiveByLookupPrefix(prefix)).map((key) => key.id)).toEqual([
          tenant.apiKeyId,
        ]);
      }
      expect(replica.counted.lookups).toBe(1);
    }

    await context.db.apiKeys.revoke(tenant.accountId, tenant.apiKeyId);
    await heardEverythingUpTo('revoked', ...replicas.map((replica) => replica.heard));

    for (const replica of replicas) {
      expect(await replica.cache.findActiveByLookupPrefix(prefix)).toEqual([]);
      expect(replica.counted.lookups).toBe(2);
    }
  });

  it("When the feed's connection is cut, then nothing cached is trusted and every lookup goes to Postgres", async () => {
    // It would reconnect only after ten minutes: the test sees the cut state for as long as it needs.
    const feed = await listeningFeed([], 600_000);
    const { store, counted } = countingStore();
    const cache = new CachedApiKeyStore(store, feed);
    const tenant = await createTenant(context.db);
    const prefix = apiKeyLookupPrefix(tenant.apiKey);
    await cachedAt(cache, counted, prefix);

    await cutFeedConnections();
    await waitFor(() => !feed.listening, 'the feed to notice');

    const before = counted.lookups;
    await cache.findActiveByLookupPrefix(prefix);
    await cache.findActiveByLookupPrefix(prefix);
    expect(counted.lookups).toBe(before + 2);
  });

  it("When the feed's connection is cut, then it listens again by itself and hears the next change", async () => {
    const heard: string[] = [];
    const feed = await listeningFeed(heard);
    const { store, counted } = countingStore();
    const cache = new CachedApiKeyStore(store, feed);
    const tenant = await createTenant(context.db);
    const prefix = apiKeyLookupPrefix(tenant.apiKey);

    let interruptions = 0;
    feed.onInterruption(() => (interruptions += 1));

    await cutFeedConnections();
    // Told twice: when listening stopped, and when it started again.
    await waitFor(() => interruptions >= 2 && feed.listening, 'the feed to listen again');
    await cachedAt(cache, counted, prefix);
    await context.db.apiKeys.revoke(tenant.accountId, tenant.apiKeyId);
    await heardEverythingUpTo('after-reconnect', heard);

    expect(await cache.findActiveByLookupPrefix(prefix)).toEqual([]);
  });

  it('When a replica revokes a key through the API, then its own next request with that key is refused, before any announcement arrives', async () => {
    // Heard, but silent: the database's announcement has not reached this replica yet.
    const silentFeed = { listening: true, onChange: () => undefined, onInterruption: () => undefined };
    const { store, counted } = countingStore();
    const harness = createIngressHarness(context.db, {
      apiKeyLookup: new CachedApiKeyStore(store, silentFeed),
    });
    try {
      const tenant = await createTenant(context.db, { permissions: ['admin'] });
      const other = await context.db.provisioning.apiKeys.create({
        accountId: tenant.accountId,
        name: 'WISPMAN',
        permissions: ['admin'],
      });
      const asOther = { Authorization: `Bearer ${other.secret}` };
      await request(harness.app).get('/api/v1/api-keys').set(asOther).expect(200);
      await request(harness.app).get('/api/v1/api-keys').set(asOther).expect(200);
      expect(counted.lookups).toBe(1);

      await request(harness.app)
        .delete(`/api/v1/api-keys/${other.record.id}`)
        .set({ Authorization: `Bearer ${tenant.apiKey}` })
        .expect(200);

      await request(harness.app).get('/api/v1/api-keys').set(asOther).expect(401);
    } finally {
      await harness.close();
    }
  });
});

import type { ApiKeyRecord } from '@telenexus/core';
import { API_KEY_CHANGES_CHANNEL, type ChangeFeed } from '@telenexus/db';
import { CachedApiKeyStore } from './cached-api-key-store';

/** A change feed the test drives. */
function fakeFeed() {
  const changes: ((payload: string, channel: string) => void)[] = [];
  const interruptions: (() => void)[] = [];
  const feed = {
    listening: true,
    onChange: (listener: (payload: string, channel: string) => void) => changes.push(listener),
    onInterruption: (listener: () => void) => interruptions.push(listener),
    announce: (payload: string) => changes.forEach((listener) => listener(payload, API_KEY_CHANGES_CHANNEL)),
    interrupt: () => interruptions.forEach((listener) => listener()),
  };
  return feed satisfies ChangeFeed;
}

function keyRecord(id: string, expiresAt: Date | null = null): ApiKeyRecord {
  return {
    id,
    accountId: 'account',
    name: id,
    lookupPrefix: 'tnx_abcdefgh',
    last4: 'wxyz',
    hash: Buffer.alloc(32),
    permissions: ['send_message'],
    createdAt: new Date(0),
    lastUsedAt: null,
    revokedAt: null,
    expiresAt,
  };
}

/** A store whose answers the test sets, counting lookups; after `hold()` the next lookup waits for `release()`. */
function scriptedStore(initial: ApiKeyRecord[]) {
  let keys = initial;
  let holding = false;
  let release: () => void = () => undefined;
  const store = {
    lookups: 0,
    set: (next: ApiKeyRecord[]) => (keys = next),
    hold: () => (holding = true),
    release: () => release(),
    findActiveByLookupPrefix: async () => {
      store.lookups += 1;
      const answer = keys;
      if (holding) {
        holding = false;
        await new Promise<void>((resolve) => (release = resolve));
      }
      return answer;
    },
    touchLastUsed: () => Promise.resolve(),
  };
  return store;
}

describe('CachedApiKeyStore', () => {
  let now = 1_000_000;
  const clock = () => now;

  it('When a prefix is read again while the feed is heard, then Postgres is asked once; an announcement makes it ask again', async () => {
    const feed = fakeFeed();
    const store = scriptedStore([keyRecord('k1')]);
    const cache = new CachedApiKeyStore(store, feed, { now: clock });

    await cache.findActiveByLookupPrefix('tnx_abcdefgh');
    await cache.findActiveByLookupPrefix('tnx_abcdefgh');
    expect(store.lookups).toBe(1);

    store.set([]);
    feed.announce('tnx_abcdefgh');
    expect(await cache.findActiveByLookupPrefix('tnx_abcdefgh')).toEqual([]);
    expect(store.lookups).toBe(2);
  });

  it('When the feed is not heard, then nothing is cached or trusted', async () => {
    const feed = fakeFeed();
    const store = scriptedStore([keyRecord('k1')]);
    const cache = new CachedApiKeyStore(store, feed, { now: clock });
    await cache.findActiveByLookupPrefix('tnx_abcdefgh');

    feed.listening = false;
    feed.interrupt();
    await cache.findActiveByLookupPrefix('tnx_abcdefgh');
    await cache.findActiveByLookupPrefix('tnx_abcdefgh');

    expect(store.lookups).toBe(3);
  });

  it('When an announcement comes while a lookup is in flight, then what that lookup read is not kept', async () => {
    const feed = fakeFeed();
    const store = scriptedStore([keyRecord('k1')]);
    const cache = new CachedApiKeyStore(store, feed, { now: clock });
    store.hold();

    const reading = cache.findActiveByLookupPrefix('tnx_abcdefgh');
    feed.announce('tnx_abcdefgh');
    store.release();
    expect(await reading).toHaveLength(1);

    store.set([]);
    expect(await cache.findActiveByLookupPrefix('tnx_abcdefgh')).toEqual([]);
    expect(store.lookups).toBe(2);
  });

  it('When a cached key expires or the entry outlives its TTL, then the expired key is refused and the entry read again', async () => {
    const feed = fakeFeed();
    const store = scriptedStore([keyRecord('k1'), keyRecord('rotated', new Date(now + 5_000))]);
    const cache = new CachedApiKeyStore(store, feed, { now: clock, ttlMs: 30_000 });
    expect(await cache.findActiveByLookupPrefix('tnx_abcdefgh')).toHaveLength(2);

    now += 10_000;
    expect((await cache.findActiveByLookupPrefix('tnx_abcdefgh')).map((key) => key.id)).toEqual(['k1']);
    expect(store.lookups).toBe(1);

    now += 30_000;
    await cache.findActiveByLookupPrefix('tnx_abcdefgh');
    expect(store.lookups).toBe(2);
  });
});

import { type Redis } from 'ioredis';

/** Keys of a queue namespace: BullMQ's `{ns}:…` and ingress's rate-limit `ns:rate…`. */
function patternsOf(namespace: string): string[] {
  return [`{${namespace}}:*`, `${namespace}:*`];
}

async function* scanKeys(redis: Redis, namespace: string): AsyncGenerator<string[]> {
  for (const pattern of patternsOf(namespace)) {
    let cursor = '0';
    do {
      const [next, keys] = await redis.scan(cursor, 'MATCH', pattern, 'COUNT', 5000);
      cursor = next;
      if (keys.length > 0) yield keys;
    } while (cursor !== '0');
  }
}

/** What a namespace holds in Redis right now. */
export interface NamespaceMemory {
  readonly keys: number;
  /** Sum of `MEMORY USAGE key SAMPLES 0` (exact, allocator overhead included, fragmentation not). */
  readonly bytes: number;
}

/**
 * Measures the namespace key by key, so other users of the same Redis do not blur the figure the
 * way a before/after `used_memory` would.
 */
export async function namespaceMemory(redis: Redis, namespace: string): Promise<NamespaceMemory> {
  let keys = 0;
  let bytes = 0;
  for await (const batch of scanKeys(redis, namespace)) {
    const pipeline = redis.pipeline();
    for (const key of batch) pipeline.memory('USAGE', key, 'SAMPLES', 0);
    for (const [error, value] of (await pipeline.exec()) ?? []) {
      if (!error && typeof value === 'number') {
        keys += 1;
        bytes += value;
      }
    }
  }
  return { keys, bytes };
}

/** Deletes every key of the namespace, and nothing else. */
export async function deleteNamespace(redis: Redis, namespace: string): Promise<number> {
  let deleted = 0;
  for await (const batch of scanKeys(redis, namespace)) {
    deleted += await redis.unlink(...batch);
  }
  return deleted;
}

export async function redisVersion(redis: Redis): Promise<string> {
  const info = await redis.info('server');
  return /redis_version:(\S+)/.exec(info)?.[1] ?? 'unknown';
}

import { Cluster, Redis, type ClusterNode, type RedisOptions } from 'ioredis';

/** A single Redis or a Redis Cluster: BullMQ, the pacer and the rate limiter take either. */
export type RedisConnection = Redis | Cluster;

/** Where Redis is: one URL, or for a cluster a comma-separated list of seed node URLs. */
export interface RedisSettings {
  readonly url: string;
  readonly cluster: boolean;
}

/**
 * Options for producers (ingress, the sweeper, the pacer): fail fast instead of queueing commands
 * while Redis is away. Ingress has already committed the message to Postgres and must answer; the
 * sweeper will enqueue what could not be enqueued now.
 */
const PRODUCER_OPTIONS: RedisOptions = {
  enableOfflineQueue: false,
  maxRetriesPerRequest: 1,
  connectTimeout: 2000,
  commandTimeout: 2000,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};

/**
 * Options for workers: BullMQ requires `maxRetriesPerRequest: null` so a blocking command waits out
 * a Redis restart rather than failing the worker.
 */
const WORKER_OPTIONS: RedisOptions = {
  maxRetriesPerRequest: null,
  enableReadyCheck: true,
  retryStrategy: (times) => Math.min(times * 200, 2000),
};

function clusterNodes(urls: string): ClusterNode[] {
  return urls.split(',').map((url) => {
    const parsed = new URL(url.trim());
    return { host: parsed.hostname, port: Number(parsed.port || 6379) };
  });
}

function connect(settings: RedisSettings, base: RedisOptions, options: RedisOptions): RedisConnection {
  if (!settings.cluster) return new Redis(settings.url, { ...base, ...options });
  const first = new URL(settings.url.split(',')[0]!.trim());
  const redisOptions: RedisOptions = {
    ...base,
    ...options,
    ...(first.password ? { password: decodeURIComponent(first.password) } : {}),
    ...(first.username ? { username: decodeURIComponent(first.username) } : {}),
    ...(first.protocol === 'rediss:' ? { tls: {} } : {}),
  };
  return new Cluster(clusterNodes(settings.url), {
    redisOptions,
    enableOfflineQueue: redisOptions.enableOfflineQueue ?? true,
    clusterRetryStrategy: (times) => Math.min(times * 200, 2000),
  });
}

/** A producer connection (see PRODUCER_OPTIONS). A plain URL string means a single Redis. */
export function createProducerConnection(
  settings: RedisSettings | string,
  options: RedisOptions = {},
): RedisConnection {
  return connect(
    typeof settings === 'string' ? { url: settings, cluster: false } : settings,
    PRODUCER_OPTIONS,
    options,
  );
}

/** A worker connection (see WORKER_OPTIONS). A plain URL string means a single Redis. */
export function createWorkerConnection(
  settings: RedisSettings | string,
  options: RedisOptions = {},
): RedisConnection {
  return connect(
    typeof settings === 'string' ? { url: settings, cluster: false } : settings,
    WORKER_OPTIONS,
    options,
  );
}

export type { Cluster, Redis };

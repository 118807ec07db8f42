import { Redis, type RedisOptions } from 'ioredis';

/**
 * A connection for producers (ingress). It fails fast instead of queueing commands while Redis is
 * away: ingress has already committed the message to Postgres and must answer, and the sweeper will
 * enqueue what could not be enqueued now.
 */
export function createProducerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 1,
    connectTimeout: 2000,
    commandTimeout: 2000,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

/**
 * A connection for workers. BullMQ requires `maxRetriesPerRequest: null` so a blocking command
 * waits out a Redis restart rather than failing the worker.
 */
export function createWorkerConnection(url: string, options: RedisOptions = {}): Redis {
  return new Redis(url, {
    maxRetriesPerRequest: null,
    enableReadyCheck: true,
    retryStrategy: (times) => Math.min(times * 200, 2000),
    ...options,
  });
}

export type { Redis };

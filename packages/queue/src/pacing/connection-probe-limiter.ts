import type { RedisConnection } from '../redis-connections';

/**
 * At most one connection probe (`connectionState`) per instance per interval, across every
 * dispatcher: the poller and the sends that meet "Connection Closed" all ask here first, so a
 * disconnected number is not hammered while its backlog waits.
 */
export class ConnectionProbeLimiter {
  constructor(
    private readonly redis: RedisConnection,
    private readonly namespace: string,
    private readonly intervalMs: number,
  ) {}

  /** True when this caller may probe the instance now; the next one may after the interval. */
  async claim(instanceId: string): Promise<boolean> {
    if (this.intervalMs <= 0) return true;
    const key = `${this.namespace}:probe:{${instanceId}}`;
    return (await this.redis.set(key, '1', 'PX', this.intervalMs, 'NX')) === 'OK';
  }
}

import { randomUUID } from 'node:crypto';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { NotificationQueue } from '../src/notification-queue';
import { createProducerConnection, type RedisConnection } from '../src/redis-connections';

/**
 * What a queued send job stores in Redis. Redis keeps a hash in its compact listpack encoding only
 * while every value is at most `hash-max-listpack-value` bytes (64 by default); past it the whole
 * job takes about three times the memory, for every message of a backlog.
 */

const LISTPACK_VALUE_LIMIT = 64;

let redis: RedisConnection;
let queue: NotificationQueue;
let namespace: string;

beforeAll(() => {
  redis = createProducerConnection(TEST_REDIS_URL);
  namespace = `test-${randomUUID().slice(0, 8)}`;
  queue = new NotificationQueue({ connection: redis, namespace, retry: { attempts: 12 } });
});

afterAll(async () => {
  await queue.queue.obliterate({ force: true });
  await queue.close();
  redis.disconnect();
});

describe('A queued send job', () => {
  it('When a message is enqueued, then its job stores the message id as its id, the attempts, and no value over the compact limit', async () => {
    const messageId = randomUUID();

    await queue.enqueueSend(messageId);

    const stored = await redis.hgetall(queue.queue.toKey(messageId));
    expect(JSON.parse(stored.opts ?? '{}')).toEqual({ jobId: messageId, attempts: 12 });
    expect(JSON.parse(stored.data ?? '{}')).toEqual({ messageId });
    for (const value of Object.values(stored)) {
      expect(Buffer.byteLength(value)).toBeLessThanOrEqual(LISTPACK_VALUE_LIMIT);
    }
  });

  it('When a batch of messages is enqueued, then each job is as compact as a single one', async () => {
    const ids = [randomUUID(), randomUUID()];

    await queue.enqueueSends(ids);

    for (const id of ids) {
      const stored = await redis.hgetall(queue.queue.toKey(id));
      expect(JSON.parse(stored.opts ?? '{}')).toEqual({ jobId: id, attempts: 12 });
    }
  });
});

import { randomUUID } from 'node:crypto';
import express, { type Express } from 'express';
import request from 'supertest';
import { DomainError, type Instance } from '@telenexus/core';
import { createProducerConnection, type RedisConnection } from '@telenexus/queue';
import { createCapturedLogger } from '../../../test/support/captured-logger';
import { uniqueQueueNamespace } from '../../../test/support/test-context';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { evolutionWebhookRateLimit } from '../src/evolution-events/evolution-webhook-rate-limit';
import { evolutionWebhookRoutes } from '../src/evolution-events/evolution-webhook.routes';
import { errorResponder } from '../src/http/error-response';
import { problem } from '../../../test/support/expected-problem';
import { TEST_PUBLIC_BASE_URL } from '../../../test/support/ingress-harness';

/**
 * The Evolution webhook's door, in the order it must keep: authenticate (path token, then JWT),
 * then the per-instance rate limit, and only then read the body and reach the handler. The
 * authenticator is a stand-in that knows two instances and one token each; the rate limit is the
 * real one, counted in the test Redis.
 */

const LIMIT = 3;
const KB = 1024;

const instances = new Map<string, Instance>();
const tokens = new Map<string, string>();

function knownInstance(): { instance: Instance; token: string } {
  const instance = {
    id: randomUUID(),
    evolutionInstanceName: `door-${randomUUID().slice(0, 8)}`,
  } as Instance;
  const token = randomUUID();
  instances.set(instance.id, instance);
  tokens.set(instance.id, token);
  return { instance, token };
}

const authenticator = {
  authenticate: jest.fn((instanceId: string, token: string): Promise<Instance> => {
    const instance = instances.get(instanceId);
    if (!instance) return Promise.reject(new DomainError('not_found', 'Instance not found'));
    if (tokens.get(instanceId) !== token) {
      return Promise.reject(new DomainError('unauthenticated', 'Invalid webhook token'));
    }
    return Promise.resolve(instance);
  }),
};
const handler = { execute: jest.fn(() => Promise.resolve([])) };

const midWindowMs = Math.floor(Date.now() / 60_000) * 60_000 + 30_000;
let redis: RedisConnection;
let app: Express;

beforeAll(() => {
  redis = createProducerConnection(TEST_REDIS_URL, { retryStrategy: () => null });
  redis.on('error', () => undefined);
  const logger = createCapturedLogger('ingress').logger;
  app = express();
  app.use(
    '/api/v1',
    evolutionWebhookRoutes(
      authenticator,
      handler,
      evolutionWebhookRateLimit({
        redis,
        namespace: uniqueQueueNamespace(),
        points: LIMIT,
        windowSeconds: 60,
        logger,
        // Frozen in the middle of the current minute: no window can end between the test's calls.
        now: () => midWindowMs,
      }),
    ),
  );
  app.use(errorResponder({ logger, publicBaseUrl: TEST_PUBLIC_BASE_URL }));
});

afterAll(() => {
  redis.disconnect();
});

beforeEach(() => {
  handler.execute.mockClear();
});

const post = (instanceId: string, token: string, body: string) =>
  request(app)
    .post(`/api/v1/webhooks/evolution/${instanceId}/${token}`)
    .set('Content-Type', 'application/json')
    .send(body);

const event = (instance: Instance) =>
  JSON.stringify({ event: 'messages.update', instance: instance.evolutionInstanceName, data: {} });

describe('Evolution webhook: authenticate before reading the body', () => {
  it('When the token is wrong and the body is not JSON, then it answers 401, not 400, and the handler is never reached', async () => {
    const { instance } = knownInstance();
    const response = await post(instance.id, 'wrong-token', '{"event": "messages.upd');
    expect(response.status).toBe(401);
    expect(response.body).toEqual(problem('unauthenticated', 'Invalid webhook token'));
    expect(handler.execute).not.toHaveBeenCalled();
  });

  it('When the instance is unknown and the body is over the 1 MB limit, then it answers 404, not 413, and the handler is never reached', async () => {
    const response = await post(randomUUID(), 'any-token', `{"event":"x","pad":"${'a'.repeat(1024 * KB)}"}`);
    expect(response.status).toBe(404);
    expect(response.body).toEqual(problem('not_found', 'Instance not found'));
    expect(handler.execute).not.toHaveBeenCalled();
  });

  it('When the token is right, then the body is read after all: a malformed one answers 400 and an oversized one 413', async () => {
    const { instance, token } = knownInstance();
    expect((await post(instance.id, token, '{"event": ')).body).toEqual(
      problem('invalid_json', 'Request body is not valid JSON'),
    );
    const oversized = await post(instance.id, token, `{"pad":"${'a'.repeat(1024 * KB)}"}`);
    expect(oversized.status).toBe(413);
    expect(oversized.body).toEqual(
      problem('payload_too_large', 'Request body is larger than the 1024 KB limit'),
    );
    expect(handler.execute).not.toHaveBeenCalled();
  });
});

describe('Evolution webhook: per-instance rate limit', () => {
  it('When an instance makes more calls than its limit, then the extra one answers 429 with Retry-After (which Evolution retries) without reaching the handler', async () => {
    const { instance, token } = knownInstance();
    const statuses: number[] = [];
    let last: request.Response | undefined;
    for (let call = 0; call <= LIMIT; call += 1) {
      last = await post(instance.id, token, event(instance));
      statuses.push(last.status);
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(last!.body).toEqual(problem('rate_limited', 'Rate limit exceeded'));
    expect(Number(last!.headers['retry-after'])).toBeGreaterThanOrEqual(1);
    expect(last!.headers).toMatchObject({ 'ratelimit-limit': String(LIMIT), 'ratelimit-remaining': '0' });
    expect(handler.execute).toHaveBeenCalledTimes(LIMIT);
  });

  it('When one instance is over its limit, then another instance is not', async () => {
    const busy = knownInstance();
    const quiet = knownInstance();
    for (let call = 0; call <= LIMIT; call += 1)
      await post(busy.instance.id, busy.token, event(busy.instance));
    expect((await post(busy.instance.id, busy.token, event(busy.instance))).status).toBe(429);
    expect((await post(quiet.instance.id, quiet.token, event(quiet.instance))).status).toBe(200);
  });

  it("When strangers call with a wrong token, then they spend none of the instance's budget", async () => {
    const { instance, token } = knownInstance();
    for (let call = 0; call < LIMIT * 3; call += 1) {
      expect((await post(instance.id, 'wrong-token', event(instance))).status).toBe(401);
    }
    const statuses: number[] = [];
    for (let call = 0; call < LIMIT; call += 1) {
      statuses.push((await post(instance.id, token, event(instance))).status);
    }
    expect(statuses).toEqual([200, 200, 200]);
  });

  it('When the limit is throttling, then a malformed body still answers 429: the body of a throttled call is not read', async () => {
    const { instance, token } = knownInstance();
    for (let call = 0; call < LIMIT; call += 1) await post(instance.id, token, event(instance));
    const response = await post(instance.id, token, '{"event": ');
    expect(response.status).toBe(429);
  });
});

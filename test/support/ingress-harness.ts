import type { ApiKeyStore } from '../../services/ingress/src/auth/api-key-authenticator';
import type { Express } from 'express';
import type { Provisioning } from '@telenexus/provisioning';
import type { HostResolver } from '@telenexus/core';
import {
  AccountWordingRepository,
  AuditEventRepository,
  IdempotencyKeyRepository,
  WebhookDeliveryRepository,
  WebhookEndpointRepository,
} from '@telenexus/db';
import { createMetricsApp, createMetricsRegistry } from '@telenexus/observability';
import { createApp } from '../../services/ingress/src/app';
import { createIngressUseCases } from '../../services/ingress/src/ingress-use-cases';
import type { OpenApiDocument } from '../../services/ingress/src/api-docs/openapi-document';
import {
  createProducerConnection,
  InstancePacer,
  NotificationQueue,
  type RedisConnection,
} from '@telenexus/queue';
import { createCapturedLogger, type CapturedLogger } from './captured-logger';
import type { DatabaseContext } from './test-context';
import { uniqueQueueNamespace } from './test-context';
import { TEST_REDIS_URL } from './test-database';
import { checkedAgainstOpenApi, servedDocument } from './openapi-checked-app';

/** The harness's `publicBaseUrl`: problem `type` URIs start with it. */
export const TEST_PUBLIC_BASE_URL = 'https://api.example.test';

/** The fully wired ingress app over the real test database and Redis, with captured logs. */
export interface IngressHarness {
  readonly app: Express;
  /** The metrics port's app over the same registry, as main.ts serves it apart from the API. */
  readonly metricsApp: Express;
  readonly queue: NotificationQueue;
  readonly redis: RedisConnection;
  /** The pacer the app reads send slots from: reserve slots on it to stand in for a dispatcher. */
  readonly pacer: InstancePacer;
  readonly logs: CapturedLogger;
  close(): Promise<void>;
}

export interface IngressHarnessOptions {
  readonly redisUrl?: string;
  readonly bodyLimitBytes?: number;
  /** Builds the queue over the harness's Redis connection, e.g. to share a dispatcher's namespace. */
  readonly queue?: (redis: RedisConnection) => NotificationQueue;
  readonly webhookAllowPrivateUrls?: boolean;
  readonly dashboardReadOnly?: boolean;
  /** The operator's account, whose admin keys may open the dashboard and link instances without tokens. */
  readonly operatorAccountId?: string;
  /** How webhook endpoint hosts resolve (tests pin them); the system resolver by default. */
  readonly resolveHost?: HostResolver;
  /** How long `POST /webhook-endpoints/:id/test` waits for a dispatcher's POST; default the routes' (10 s). */
  readonly webhookTestWaitMs?: number;
  /** `WEBHOOK_SECRET_OVERLAP_HOURS` in ms; default the routes' (24 h). */
  readonly webhookSecretOverlapMs?: number;
  /** Default 0 (off) so tests are not limited; rate-limit tests set it. */
  readonly rateLimitPerMinute?: number;
  /** Evolution webhook calls per instance per minute; default 0 (off), as for the API's limit. */
  readonly evolutionWebhookRateLimitPerMinute?: number;
  /** The clock rate-limit windows are counted by (default the real one): freeze it so a window cannot end mid-test. */
  readonly rateLimitClock?: () => number;
  /** Replicas under test share counters by sharing this. */
  readonly rateLimitNamespace?: string;
  /** Default 24 h, as in production. */
  readonly dedupeWindowMs?: number;
  /** Default 100,000, as in production. */
  readonly queueLimitPerAccount?: number;
  /** Defaults to the test database's, which has no Evolution configured. */
  readonly provisioning?: Provisioning;
  /** What the app's answers are checked against; by default the OpenAPI document ingress serves. */
  readonly openApiDocument?: OpenApiDocument;
  /** Where requests' keys are looked up (a cache under test); by default the repository itself. */
  readonly apiKeyLookup?: ApiKeyStore;
}

export function createIngressHarness(
  db: DatabaseContext,
  options: IngressHarnessOptions = {},
): IngressHarness {
  const logs = createCapturedLogger('ingress');
  const redis = createProducerConnection(options.redisUrl ?? TEST_REDIS_URL, { retryStrategy: () => null });
  redis.on('error', () => undefined);
  const queue =
    options.queue?.(redis) ??
    new NotificationQueue({
      connection: redis,
      namespace: uniqueQueueNamespace(),
      retry: { attempts: 3 },
      enqueueTimeoutMs: 1000,
    });
  queue.queue.on('error', () => undefined);
  const pacer = new InstancePacer(redis, uniqueQueueNamespace());
  const metrics = createMetricsRegistry('ingress', 'test');
  // The same wiring as main.ts: the use cases over the test database, then the HTTP app over them.
  const useCases = createIngressUseCases({
    logger: logs.logger,
    metrics,
    dedupeWindowMs: options.dedupeWindowMs ?? 24 * 3600 * 1000,
    queueLimitPerAccount: options.queueLimitPerAccount ?? 100_000,
    pacer,
    apiKeys: db.apiKeys,
    ...(options.apiKeyLookup ? { apiKeyLookup: options.apiKeyLookup } : {}),
    auditEvents: new AuditEventRepository(db.dataSource),
    instances: db.instances,
    messages: db.messages,
    wording: new AccountWordingRepository(db.dataSource),
    provisioning: options.provisioning ?? db.provisioning,
    queue,
    webhooks: {
      endpoints: new WebhookEndpointRepository(db.dataSource, db.secrets),
      deliveries: new WebhookDeliveryRepository(db.dataSource, db.secrets),
      allowPrivateUrls: options.webhookAllowPrivateUrls ?? false,
      ...(options.resolveHost ? { resolveHost: options.resolveHost } : {}),
      ...(options.webhookTestWaitMs === undefined
        ? {}
        : { testWait: { timeoutMs: options.webhookTestWaitMs, pollMs: 20 } }),
      ...(options.webhookSecretOverlapMs === undefined
        ? {}
        : { secretOverlapMs: options.webhookSecretOverlapMs }),
    },
  });
  const app = createApp(useCases, {
    logger: logs.logger,
    bodyLimitBytes: options.bodyLimitBytes ?? 64 * 1024,
    batchBodyLimitBytes: 1024 * 1024,
    publicBaseUrl: TEST_PUBLIC_BASE_URL,
    idempotencyKeys: new IdempotencyKeyRepository(db.dataSource),
    redis,
    redisNamespace: options.rateLimitNamespace ?? uniqueQueueNamespace(),
    rateLimit: { points: options.rateLimitPerMinute ?? 0, windowSeconds: 60, now: options.rateLimitClock },
    evolutionWebhookRateLimit: {
      points: options.evolutionWebhookRateLimitPerMinute ?? 0,
      windowSeconds: 60,
      now: options.rateLimitClock,
    },
    metrics,
    dashboard: {
      queues: [queue.queue],
      readOnly: options.dashboardReadOnly ?? true,
      credentials: { username: 'ops', password: 'correct horse battery staple' },
    },
    ...(options.operatorAccountId ? { operatorAccountId: options.operatorAccountId } : {}),
    readinessChecks: { postgres: () => db.dataSource.query('SELECT 1'), redis: () => redis.ping() },
  });
  // Every answer the tests receive is checked against the OpenAPI document (see openapi-checked-app.ts).
  checkedAgainstOpenApi(app, options.openApiDocument ?? servedDocument(TEST_PUBLIC_BASE_URL));
  return {
    app,
    metricsApp: createMetricsApp(metrics),
    queue,
    redis,
    pacer,
    logs,
    async close() {
      await queue.queue.obliterate({ force: true }).catch(() => undefined);
      await queue.close();
      redis.disconnect();
    },
  };
}

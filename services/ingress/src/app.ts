import express, { type Express } from 'express';
import type { IdempotencyKeyRepository } from '@telenexus/db';
import type { Queue } from 'bullmq';
import type { RedisConnection } from '@telenexus/queue';
import type { Logger } from '@telenexus/logger';
import { httpMetrics, queueMetrics, type Registry } from '@telenexus/observability';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';
import { apiDocsRoutes } from './api-docs/api-docs.routes';
import { apiKeysRoutes } from './api-keys/api-keys.routes';
import { auditEventsRoutes } from './audit/audit-events.routes';
import { recordAuditRefusals } from './audit/record-audit-refusals';
import { CONSOLE_PATH, consoleRoutes } from './console/console.routes';
import { consoleSignInRoutes } from './console/console-sign-in.routes';
import { authenticate, refuseGatewayOnlyKeys } from './auth/authenticate.middleware';
import { evolutionWebhookRateLimit } from './evolution-events/evolution-webhook-rate-limit';
import { evolutionWebhookRoutes } from './evolution-events/evolution-webhook.routes';
import { dashboardAuth, type DashboardCredentials } from './dashboard/dashboard-auth.middleware';
import { DASHBOARD_PATH, queueDashboard } from './dashboard/queue-dashboard';
import { errorResponder } from './http/error-response';
import { concurrencyLimit } from './http/concurrency-limit';
import { jsonBody } from './http/json-body';
import { routedOnly, routeNotFound } from './http/not-found';
import { problemsRoutes } from './problems/problems.routes';
import { requestContext } from './http/request-context';
import { webhookEndpointRoutes } from './status-webhooks/webhook-endpoints.routes';
import { instancesRoutes } from './instances/instances.routes';
import { batchesRoutes } from './batches/batches.routes';
import { gatewayRoutes } from './gateway/gateway.routes';
import { instanceQueueRoutes } from './queue-view/instance-queue.routes';
import { messagesRoutes } from './messages/messages.routes';
import {
  notificationCount,
  sendNotificationRoutes,
  SINGLE_SEND_PATH,
} from './notifications/send-notification.routes';
import { idempotency } from './http/idempotency.middleware';
import { rateLimit, type RateLimitOptions } from './http/rate-limit.middleware';
import { templatesRoutes } from './templates/templates.routes';
import { accountWordingRoutes } from './templates/account-wording.routes';
import type { IngressUseCases } from './ingress-use-cases';

/** Batch requests accepted at the same time; the next ones wait before their bodies are read. */
const BATCHES_AT_ONCE = 2;

/** Idempotency-Key answers are replayed for a day (and a little more). */
const IDEMPOTENCY_TTL_MS = 25 * 3600 * 1000;
/** A request still "in flight" after this is taken to have crashed; its key may be claimed again. */
const IDEMPOTENCY_LOCK_MS = 60 * 1000;

/** Points per subject per fixed window (points 0: no limit), and the clock windows are counted by. */
export type RateLimitSettings = Pick<RateLimitOptions, 'points' | 'windowSeconds' | 'now'>;

/** What the HTTP layer itself needs besides the use cases, built by main.ts (or a test) and passed in. */
export interface IngressAppOptions {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  /** The batch endpoint's body limit: 1,000 notifications need more room than one. */
  readonly batchBodyLimitBytes: number;
  readonly trustProxy?: string;
  /** How billing systems reach us, for the API Integration details. */
  readonly publicBaseUrl: string;
  readonly idempotencyKeys: IdempotencyKeyRepository;
  /** Shared counters (rate limits) live here, so every replica sees the same counts. */
  readonly redis: RedisConnection;
  readonly redisNamespace: string;
  readonly rateLimit: RateLimitSettings;
  /** Evolution webhook calls per instance per window (points 0: no limit). */
  readonly evolutionWebhookRateLimit: RateLimitSettings;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** The app adds its HTTP and queue measures to it; main.ts serves it on the metrics port. */
  readonly metrics: Registry;
  /** The queue dashboard at /admin/queues. */
  readonly dashboard: {
    readonly queues: readonly Queue[];
    readonly readOnly: boolean;
    readonly credentials?: DashboardCredentials;
  };
  /** The operator's own account: its admin keys open the dashboard and link instances without tokens. */
  readonly operatorAccountId?: string;
}

/**
 * The HTTP app over ingress's use cases (built by `createIngressUseCases`): routes, their order and
 * the layers in front of them. It does not listen, so tests can mount it with supertest.
 */
export function createApp(useCases: IngressUseCases, deps: IngressAppOptions): Express {
  const app = express();
  app.disable('x-powered-by');
  // A number is a hop count; anything else names addresses or subnets (Express's own forms).
  const trustProxy = deps.trustProxy ?? 'loopback';
  app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  const apiKeyAuthenticator = useCases.authenticator;
  const { singleSends, sendableInstances } = useCases;
  const sendGuards = [
    idempotency({
      store: deps.idempotencyKeys,
      ttlMs: IDEMPOTENCY_TTL_MS,
      lockMs: IDEMPOTENCY_LOCK_MS,
      logger: deps.logger,
    }),
    rateLimit(
      { redis: deps.redis, namespace: deps.redisNamespace, logger: deps.logger, ...deps.rateLimit },
      notificationCount,
    ),
  ];
  const sending = sendNotificationRoutes({
    accept: useCases.accept,
    singleSends,
    instances: sendableInstances,
    batches: useCases.batches,
    guards: sendGuards,
  });
  // The route billing runs call most goes ahead of every other: a single send passes no other
  // route's layers. The same authentication, body parsing and handlers as under the API router.
  app.post(
    `/api/v1${SINGLE_SEND_PATH}`,
    authenticate(apiKeyAuthenticator),
    jsonBody(deps.bodyLimitBytes),
    ...sending.singleSend,
  );
  queueMetrics(deps.metrics, deps.dashboard.queues, () => useCases.backlogByInstance());
  // The URL gateway takes its key from a parameter, so it is not behind the API's authentication.
  app.use(
    '/api/v1',
    gatewayRoutes({
      authenticator: apiKeyAuthenticator,
      singleSends,
      instances: sendableInstances,
      guards: sendGuards,
      bodyLimitBytes: deps.bodyLimitBytes,
    }),
  );
  app.use(healthRoutes(deps.readinessChecks));
  app.use(CONSOLE_PATH, consoleRoutes());
  // What each error `code` means: every problem's `type` URI points here. No key needed.
  app.use(problemsRoutes());
  // The API's OpenAPI document and its reference page. No key needed.
  app.use(apiDocsRoutes({ publicBaseUrl: deps.publicBaseUrl }));
  app.get('/', (_request, response) => response.redirect(302, `${CONSOLE_PATH}/`));

  app.use(
    DASHBOARD_PATH,
    dashboardAuth({
      authenticator: apiKeyAuthenticator,
      credentials: deps.dashboard.credentials,
      operatorAccountId: deps.operatorAccountId,
    }),
    queueDashboard(deps.dashboard),
  );

  // Evolution authenticates with its own per-instance secrets, not API keys.
  app.use(
    '/api/v1',
    evolutionWebhookRoutes(
      useCases.evolutionEvents.authenticator,
      useCases.evolutionEvents.handler,
      evolutionWebhookRateLimit({
        redis: deps.redis,
        namespace: deps.redisNamespace,
        logger: deps.logger,
        ...deps.evolutionWebhookRateLimit,
      }),
    ),
  );

  const audit = useCases.audit.trail;
  // Before the API's authentication, which would answer refused keys itself: the sign-in route
  // authenticates on its own and so knows the outcome of every attempt, refused ones too.
  app.use(
    '/api/v1',
    consoleSignInRoutes({ authenticator: apiKeyAuthenticator, onSignIn: useCases.audit.onSignIn }),
  );
  const api = express.Router();
  // Authenticate before reading any body: strangers' payloads are never parsed.
  api.use(authenticate(apiKeyAuthenticator));
  // No route for the path and method: a 404 or 405 before any body is read (and refused as not JSON).
  api.use(routedOnly(api));
  api.use(refuseGatewayOnlyKeys);
  // The first parser to read a body wins, so the batch route's larger limit goes first.
  // Batches are parsed, validated and stored two at a time: more at once would not go faster in one
  // process, but each holds a 1,000-notification body and its rows in memory meanwhile.
  api.use(
    '/billing/send-notifications',
    concurrencyLimit(BATCHES_AT_ONCE),
    jsonBody(deps.batchBodyLimitBytes),
  );
  api.use(jsonBody(deps.bodyLimitBytes));
  api.use(sending.router);
  api.use(messagesRoutes(useCases.getMessage, useCases.listMessages, useCases.cancelMessage));
  // The per-instance views admins and support staff read: the queue and recent batches.
  api.use(instanceQueueRoutes(useCases.instanceQueue));
  api.use(batchesRoutes(useCases.instanceBatches));
  api.use(templatesRoutes());
  api.use(accountWordingRoutes(useCases.wording, audit));
  api.use(apiKeysRoutes(useCases.apiKeys.management, audit, useCases.apiKeys.forget));
  api.use(
    instancesRoutes({
      management: useCases.instances.management,
      connections: useCases.instances.connections,
      publicBaseUrl: deps.publicBaseUrl,
      operatorAccountId: deps.operatorAccountId,
      audit,
      forgetInstance: useCases.instances.forget,
    }),
  );
  api.use(webhookEndpointRoutes(useCases.statusWebhooks, audit));
  api.use(auditEventsRoutes(useCases.audit.list));
  // Refused management actions are recorded before the error responder answers them.
  api.use(recordAuditRefusals);
  app.use('/api/v1', api);

  app.use(routeNotFound);
  app.use(errorResponder({ logger: deps.logger, publicBaseUrl: deps.publicBaseUrl }));
  return app;
}

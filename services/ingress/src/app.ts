import express, { type Express } from 'express';
import type {
  ApiKeyRepository,
  AuditEventRepository,
  IdempotencyKeyRepository,
  InstanceRepository,
  MessageStores,
} from '@telenexus/db';
import type { Queue } from 'bullmq';
import type { RedisConnection } from '@telenexus/queue';
import type { Logger } from '@telenexus/logger';
import type { Provisioning } from '@telenexus/provisioning';
import { eventCounter, httpMetrics, queueMetrics, type Registry } from '@telenexus/observability';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';
import { apiDocsRoutes } from './api-docs/api-docs.routes';
import { apiKeysRoutes } from './api-keys/api-keys.routes';
import { auditEventsRoutes } from './audit/audit-events.routes';
import { AuditTrail } from './audit/audit-trail';
import { ListAuditEvents } from './audit/list-audit-events.use-case';
import { recordAuditRefusals } from './audit/record-audit-refusals';
import { recordSignIn } from './audit/record-sign-in';
import { CONSOLE_PATH, consoleRoutes } from './console/console.routes';
import { consoleSignInRoutes } from './console/console-sign-in.routes';
import { ApiKeyAuthenticator, type ApiKeyStore } from './auth/api-key-authenticator';
import { authenticate, refuseGatewayOnlyKeys } from './auth/authenticate.middleware';
import { EvolutionWebhookAuthenticator } from './evolution-events/evolution-webhook-authenticator';
import { evolutionWebhookRateLimit } from './evolution-events/evolution-webhook-rate-limit';
import { evolutionWebhookRoutes } from './evolution-events/evolution-webhook.routes';
import { HandleEvolutionEvent } from './evolution-events/handle-evolution-event.use-case';
import { dashboardAuth, type DashboardCredentials } from './dashboard/dashboard-auth.middleware';
import { DASHBOARD_PATH, queueDashboard } from './dashboard/queue-dashboard';
import { errorResponder } from './http/error-response';
import { concurrencyLimit } from './http/concurrency-limit';
import { jsonBody } from './http/json-body';
import { routedOnly, routeNotFound } from './http/not-found';
import { problemsRoutes } from './problems/problems.routes';
import { requestContext } from './http/request-context';
import {
  webhookEndpointRoutes,
  type WebhookEndpointRoutesOptions,
} from './status-webhooks/webhook-endpoints.routes';
import { instancesRoutes } from './instances/instances.routes';
import { batchesRoutes } from './batches/batches.routes';
import { ListInstanceBatches } from './batches/list-instance-batches.use-case';
import { gatewayRoutes } from './gateway/gateway.routes';
import { GetInstanceQueue } from './queue-view/get-instance-queue.use-case';
import { instanceQueueRoutes } from './queue-view/instance-queue.routes';
import { CancelMessage } from './messages/cancel-message.use-case';
import { GetMessage } from './messages/get-message.use-case';
import { ListMessages } from './messages/list-messages.use-case';
import { messagesRoutes } from './messages/messages.routes';
import {
  AcceptNotifications,
  type BulkEnqueuer,
  type PaceReader,
} from './notifications/accept-notifications.use-case';
import { CoalescedAcceptanceStore } from './notifications/coalesced-acceptance-store';
import { CoalescedEnqueuer } from './notifications/coalesced-enqueuer';
import { CoalescedSingleSends } from './notifications/coalesced-single-sends';
import {
  notificationCount,
  sendNotificationRoutes,
  SINGLE_SEND_PATH,
} from './notifications/send-notification.routes';
import type { InstanceFinder } from './notifications/sendable-instance';
import { idempotency } from './http/idempotency.middleware';
import { rateLimit } from './http/rate-limit.middleware';
import { templatesRoutes } from './templates/templates.routes';
import { accountWordingRoutes } from './templates/account-wording.routes';
import { ManageAccountWording, type WordingStore } from './templates/account-wording.use-case';
import { UncachedAccountWording, type WordingReader } from './notifications/cached-account-wording';

/** Batch requests accepted at the same time; the next ones wait before their bodies are read. */
const BATCHES_AT_ONCE = 2;

/** Idempotency-Key answers are replayed for a day (and a little more). */
const IDEMPOTENCY_TTL_MS = 25 * 3600 * 1000;
/** A request still "in flight" after this is taken to have crashed; its key may be claimed again. */
const IDEMPOTENCY_LOCK_MS = 60 * 1000;

/** Everything the HTTP app needs, built by main.ts (or a test) and passed in. */
export interface IngressDependencies {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  /** The batch endpoint's body limit: 1,000 notifications need more room than one. */
  readonly batchBodyLimitBytes: number;
  /** How long an identical notification is recognised as a retry; 0 turns the natural dedupe off. */
  readonly dedupeWindowMs: number;
  /** Most messages an account may have queued (0: no limit), so one account cannot fill Redis. */
  readonly queueLimitPerAccount: number;
  /** Reads where each instance's pacer stands, to estimate send times. */
  readonly pacer: PaceReader;
  readonly trustProxy?: string;
  /** How billing systems reach us, for the API Integration details. */
  readonly publicBaseUrl: string;
  readonly apiKeys: ApiKeyRepository;
  /**
   * Where requests' keys are looked up: `apiKeys` itself by default, or a cache in front of it
   * (`CachedApiKeyStore`, which the change feed keeps true across replicas).
   */
  readonly apiKeyLookup?: ApiKeyStore;
  /** The append-only audit log of management actions. */
  readonly auditEvents: AuditEventRepository;
  readonly instances: InstanceRepository;
  /**
   * Where sends find their instance: `instances` itself by default, or a cache in front of it
   * (`CachedInstanceFinder`, which the change feed keeps true across replicas).
   */
  readonly instanceLookup?: InstanceFinder;
  readonly messages: MessageStores;
  /** Each account's own texts and the fields they name. */
  readonly wording: WordingStore;
  /**
   * Where sends read an account's wording: `wording` itself by default, or a cache in front of it
   * (`CachedAccountWording`, which the change feed keeps true across replicas).
   */
  readonly wordingLookup?: WordingReader;
  readonly provisioning: Provisioning;
  readonly queue: BulkEnqueuer;
  readonly idempotencyKeys: IdempotencyKeyRepository;
  /** Shared counters (rate limits) live here, so every replica sees the same counts. */
  readonly redis: RedisConnection;
  readonly redisNamespace: string;
  readonly rateLimit: { readonly points: number; readonly windowSeconds: number };
  /** Evolution webhook calls per instance per window (points 0: no limit). */
  readonly evolutionWebhookRateLimit: { readonly points: number; readonly windowSeconds: number };
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  /** Billing systems' status webhook endpoints and their deliveries. */
  readonly webhooks: WebhookEndpointRoutesOptions;
  /** The app adds its HTTP and receipt measures to it; main.ts serves it on the metrics port. */
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

/** Builds the fully wired ingress app without listening, so tests can mount it with supertest. */
export function createApp(deps: IngressDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  // A number is a hop count; anything else names addresses or subnets (Express's own forms).
  const trustProxy = deps.trustProxy ?? 'loopback';
  app.set('trust proxy', /^\d+$/.test(trustProxy) ? Number(trustProxy) : trustProxy);
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(httpMetrics(deps.metrics));
  const apiKeyAuthenticator = new ApiKeyAuthenticator(deps.apiKeyLookup ?? deps.apiKeys, deps.logger);
  const wordingLookup: WordingReader = deps.wordingLookup ?? new UncachedAccountWording(deps.wording);
  // Stored and enqueued with the requests of other instances in flight at the same moment.
  const accept = new AcceptNotifications(
    new CoalescedAcceptanceStore(deps.messages.acceptance),
    new CoalescedEnqueuer(deps.queue),
    deps.pacer,
    deps.logger,
    {
      dedupeWindowMs: deps.dedupeWindowMs,
      queueLimitPerAccount: deps.queueLimitPerAccount,
      wording: wordingLookup,
    },
  );
  // Concurrent single sends to one instance are accepted together (group commit), whichever route.
  const singleSends = new CoalescedSingleSends(accept);
  const instanceLookup: InstanceFinder = deps.instanceLookup ?? deps.instances;
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
    accept,
    singleSends,
    instances: instanceLookup,
    batches: deps.messages.acceptance,
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
  queueMetrics(deps.metrics, deps.dashboard.queues, () => deps.messages.queries.backlogByInstance());
  // The URL gateway takes its key from a parameter, so it is not behind the API's authentication.
  app.use(
    '/api/v1',
    gatewayRoutes({
      authenticator: apiKeyAuthenticator,
      singleSends,
      instances: instanceLookup,
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
      new EvolutionWebhookAuthenticator(deps.instances),
      new HandleEvolutionEvent(
        deps.messages,
        deps.instances,
        deps.logger,
        eventCounter(deps.metrics, 'evolution_events_total', 'Evolution webhook events by event and result', [
          'event',
          'result',
        ]),
      ),
      evolutionWebhookRateLimit({
        redis: deps.redis,
        namespace: deps.redisNamespace,
        logger: deps.logger,
        ...deps.evolutionWebhookRateLimit,
      }),
    ),
  );

  const audit = new AuditTrail(deps.auditEvents, deps.logger);
  // Before the API's authentication, which would answer refused keys itself: the sign-in route
  // authenticates on its own and so knows the outcome of every attempt, refused ones too.
  app.use(
    '/api/v1',
    consoleSignInRoutes({ authenticator: apiKeyAuthenticator, onSignIn: recordSignIn(deps.auditEvents) }),
  );
  const getMessage = new GetMessage(deps.messages.queries);
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
  api.use(
    messagesRoutes(
      getMessage,
      new ListMessages(deps.instances, deps.messages.queries),
      new CancelMessage({
        messages: getMessage,
        statuses: deps.messages.statuses,
        instances: instanceLookup,
        queue: deps.queue,
        pacer: deps.pacer,
        logger: deps.logger,
      }),
    ),
  );
  // The per-instance views admins and support staff read: the queue and recent batches.
  api.use(instanceQueueRoutes(new GetInstanceQueue(deps.instances, deps.messages.queue)));
  api.use(batchesRoutes(new ListInstanceBatches(deps.instances, deps.messages.batches)));
  api.use(templatesRoutes());
  api.use(
    accountWordingRoutes(
      new ManageAccountWording(deps.wording, deps.instances, (accountId) =>
        wordingLookup.forget?.(accountId),
      ),
      audit,
    ),
  );
  api.use(
    apiKeysRoutes(deps.provisioning.apiKeys, audit, (lookupPrefix) =>
      deps.apiKeyLookup?.forget?.(lookupPrefix),
    ),
  );
  api.use(
    instancesRoutes({
      management: deps.provisioning.instances,
      connections: deps.provisioning.connections,
      publicBaseUrl: deps.publicBaseUrl,
      operatorAccountId: deps.operatorAccountId,
      audit,
      forgetInstance: (id) => instanceLookup.forget?.(id),
    }),
  );
  api.use(webhookEndpointRoutes(deps.webhooks, audit));
  api.use(auditEventsRoutes(new ListAuditEvents(deps.auditEvents)));
  // Refused management actions are recorded before the error responder answers them.
  api.use(recordAuditRefusals);
  app.use('/api/v1', api);

  app.use(routeNotFound);
  app.use(errorResponder({ logger: deps.logger, publicBaseUrl: deps.publicBaseUrl }));
  return app;
}

import type {
  ApiKeyRepository,
  AuditEventRepository,
  InstanceRepository,
  MessageStores,
} from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import { eventCounter, type Registry } from '@telenexus/observability';
import type { Provisioning } from '@telenexus/provisioning';
import { AuditTrail } from './audit/audit-trail';
import { ListAuditEvents } from './audit/list-audit-events.use-case';
import { recordSignIn } from './audit/record-sign-in';
import { ApiKeyAuthenticator, type ApiKeyStore } from './auth/api-key-authenticator';
import type { SignInListener } from './console/console-sign-in.routes';
import { ListInstanceBatches } from './batches/list-instance-batches.use-case';
import { EvolutionWebhookAuthenticator } from './evolution-events/evolution-webhook-authenticator';
import { HandleEvolutionEvent } from './evolution-events/handle-evolution-event.use-case';
import { CancelMessage } from './messages/cancel-message.use-case';
import { GetMessage } from './messages/get-message.use-case';
import { ListMessages } from './messages/list-messages.use-case';
import {
  AcceptNotifications,
  type BulkEnqueuer,
  type PaceReader,
} from './notifications/accept-notifications.use-case';
import { UncachedAccountWording, type WordingReader } from './notifications/cached-account-wording';
import { CoalescedAcceptanceStore } from './notifications/coalesced-acceptance-store';
import { CoalescedEnqueuer } from './notifications/coalesced-enqueuer';
import { CoalescedSingleSends } from './notifications/coalesced-single-sends';
import type { BatchReader } from './notifications/send-notification.routes';
import type { InstanceFinder } from './notifications/sendable-instance';
import { GetInstanceQueue } from './queue-view/get-instance-queue.use-case';
import {
  createStatusWebhookUseCases,
  type StatusWebhookStores,
  type StatusWebhookUseCases,
} from './status-webhooks/status-webhook-use-cases';
import { ManageAccountWording, type WordingStore } from './templates/account-wording.use-case';

/** What ingress's use cases read and write, built by main.ts (or a test) and passed in. */
export interface IngressStores {
  readonly logger: Logger;
  /** Where the use cases add their measures (Evolution events by result). */
  readonly metrics: Registry;
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
  /** Reads where each instance's pacer stands, to estimate send times. */
  readonly pacer: PaceReader;
  /** Billing systems' status webhook endpoints and their deliveries. */
  readonly webhooks: StatusWebhookStores;
  /** How long an identical notification is recognised as a retry; 0 turns the natural dedupe off. */
  readonly dedupeWindowMs: number;
  /** Most messages an account may have queued (0: no limit), so one account cannot fill Redis. */
  readonly queueLimitPerAccount: number;
}

/** Everything ingress does, each behind the routes that call it. */
export interface IngressUseCases {
  /** Who a request's API key belongs to, and what it may do. */
  readonly authenticator: ApiKeyAuthenticator;
  readonly accept: AcceptNotifications;
  /** Concurrent single sends to one instance, accepted together (group commit), whichever route. */
  readonly singleSends: CoalescedSingleSends;
  /** Where sends find their (sendable) instance. */
  readonly sendableInstances: InstanceFinder;
  readonly batches: BatchReader;
  readonly getMessage: GetMessage;
  readonly listMessages: ListMessages;
  readonly cancelMessage: CancelMessage;
  readonly instanceQueue: GetInstanceQueue;
  readonly instanceBatches: ListInstanceBatches;
  readonly wording: ManageAccountWording;
  readonly apiKeys: {
    readonly management: Provisioning['apiKeys'];
    /** Drops this process's cached copy of a key it changed, before answering. */
    readonly forget: (lookupPrefix: string) => void;
  };
  readonly instances: {
    readonly management: Provisioning['instances'];
    readonly connections: Provisioning['connections'];
    /** Drops this process's cached copy of an instance it changed, before answering. */
    readonly forget: (id: string) => void;
  };
  readonly evolutionEvents: {
    readonly authenticator: EvolutionWebhookAuthenticator;
    readonly handler: HandleEvolutionEvent;
  };
  readonly statusWebhooks: StatusWebhookUseCases;
  readonly audit: {
    readonly trail: AuditTrail;
    readonly list: ListAuditEvents;
    readonly onSignIn: SignInListener;
  };
  /** Messages waiting per instance, for the queue gauges. */
  backlogByInstance(): ReturnType<MessageStores['queries']['backlogByInstance']>;
}

/** Builds ingress's use cases over its stores: the one place they are wired, for main.ts and tests alike. */
export function createIngressUseCases(stores: IngressStores): IngressUseCases {
  const { logger } = stores;
  const wordingLookup: WordingReader = stores.wordingLookup ?? new UncachedAccountWording(stores.wording);
  const sendableInstances: InstanceFinder = stores.instanceLookup ?? stores.instances;
  // Stored and enqueued with the requests of other instances in flight at the same moment.
  const accept = new AcceptNotifications(
    new CoalescedAcceptanceStore(stores.messages.acceptance),
    new CoalescedEnqueuer(stores.queue),
    stores.pacer,
    logger,
    {
      dedupeWindowMs: stores.dedupeWindowMs,
      queueLimitPerAccount: stores.queueLimitPerAccount,
      wording: wordingLookup,
    },
  );
  const apiKeyLookup: ApiKeyStore = stores.apiKeyLookup ?? stores.apiKeys;
  const getMessage = new GetMessage(stores.messages.queries);
  return {
    authenticator: new ApiKeyAuthenticator(apiKeyLookup, logger),
    accept,
    singleSends: new CoalescedSingleSends(accept),
    sendableInstances,
    batches: stores.messages.acceptance,
    getMessage,
    listMessages: new ListMessages(stores.instances, stores.messages.queries),
    cancelMessage: new CancelMessage({
      messages: getMessage,
      statuses: stores.messages.statuses,
      instances: sendableInstances,
      queue: stores.queue,
      pacer: stores.pacer,
      logger,
    }),
    instanceQueue: new GetInstanceQueue(stores.instances, stores.messages.queue),
    instanceBatches: new ListInstanceBatches(stores.instances, stores.messages.batches),
    wording: new ManageAccountWording(stores.wording, stores.instances, (accountId) =>
      wordingLookup.forget?.(accountId),
    ),
    apiKeys: {
      management: stores.provisioning.apiKeys,
      forget: (lookupPrefix) => apiKeyLookup.forget?.(lookupPrefix),
    },
    instances: {
      management: stores.provisioning.instances,
      connections: stores.provisioning.connections,
      forget: (id) => sendableInstances.forget?.(id),
    },
    evolutionEvents: {
      authenticator: new EvolutionWebhookAuthenticator(stores.instances),
      handler: new HandleEvolutionEvent(
        stores.messages,
        stores.instances,
        logger,
        eventCounter(
          stores.metrics,
          'evolution_events_total',
          'Evolution webhook events by event and result',
          ['event', 'result'],
        ),
      ),
    },
    statusWebhooks: createStatusWebhookUseCases(stores.webhooks),
    audit: {
      trail: new AuditTrail(stores.auditEvents, logger),
      list: new ListAuditEvents(stores.auditEvents),
      onSignIn: recordSignIn(stores.auditEvents),
    },
    backlogByInstance: () => stores.messages.queries.backlogByInstance(),
  };
}

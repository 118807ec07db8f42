import { MAX_WEBHOOK_REPLAY_DAYS, MAX_WEBHOOK_REPLAY_DELIVERIES } from '@telenexus/api-contract';
import type { HostResolver } from '@telenexus/core';
import { dnsHostResolver } from './dns-host-resolver';
import { ManageWebhookDeliveries, type WebhookDeliveryStore } from './manage-webhook-deliveries.use-case';
import {
  DEFAULT_WEBHOOK_SECRET_OVERLAP_MS,
  ManageWebhookEndpoints,
  type WebhookEndpointStore,
} from './manage-webhook-endpoints.use-case';
import { ReplayWebhookEvents, type WebhookReplayStore } from './replay-webhook-events.use-case';
import {
  TestWebhookEndpoint,
  type WebhookTestStore,
  type WebhookTestWait,
} from './test-webhook-endpoint.use-case';

/** Where billing systems' status webhook endpoints and their deliveries are kept, and how they are checked. */
export interface StatusWebhookStores {
  /** A `WebhookEndpointRepository`. */
  readonly endpoints: WebhookEndpointStore;
  /** A `WebhookDeliveryRepository`. */
  readonly deliveries: WebhookDeliveryStore & WebhookReplayStore & WebhookTestStore;
  /** `WEBHOOK_ALLOW_PRIVATE_URLS`: accept http and non-public addresses, for local testing only. */
  readonly allowPrivateUrls: boolean;
  /** How hosts are resolved for the address checks; the system resolver by default. */
  readonly resolveHost?: HostResolver;
  /** `WEBHOOK_SECRET_OVERLAP_HOURS` in ms: how long a rotated-out secret still signs. */
  readonly secretOverlapMs?: number;
  /** How long `POST /webhook-endpoints/:id/test` waits for the dispatcher's POST (default 10 s). */
  readonly testWait?: WebhookTestWait;
}

/** What the status webhook routes do: manage endpoints, read and retry deliveries, replay, test. */
export interface StatusWebhookUseCases {
  readonly endpoints: ManageWebhookEndpoints;
  readonly deliveries: ManageWebhookDeliveries;
  readonly replay: ReplayWebhookEvents;
  readonly test: TestWebhookEndpoint;
}

export function createStatusWebhookUseCases(stores: StatusWebhookStores): StatusWebhookUseCases {
  return {
    endpoints: new ManageWebhookEndpoints(
      stores.endpoints,
      { allowPrivateUrls: stores.allowPrivateUrls },
      stores.resolveHost ?? dnsHostResolver(),
      { secretOverlapMs: stores.secretOverlapMs ?? DEFAULT_WEBHOOK_SECRET_OVERLAP_MS },
    ),
    deliveries: new ManageWebhookDeliveries(stores.endpoints, stores.deliveries),
    replay: new ReplayWebhookEvents(stores.endpoints, stores.deliveries, {
      maxWindowDays: MAX_WEBHOOK_REPLAY_DAYS,
      maxDeliveries: MAX_WEBHOOK_REPLAY_DELIVERIES,
    }),
    test: new TestWebhookEndpoint(stores.endpoints, stores.deliveries, stores.testWait),
  };
}

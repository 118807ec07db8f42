import type { Express } from 'express';
import type { HostResolver } from '@telenexus/core';
import { WebhookDeliveryRepository, WebhookEndpointRepository } from '@telenexus/db';
import type { CapturedLogger } from '../../../test/support/captured-logger';
import type { DatabaseContext } from '../../../test/support/test-context';
import { createIngressHarness } from '../../../test/support/ingress-harness';

/** The fully wired ingress app with the webhook settings under test, and the repositories to inspect. */
export interface WebhookEndpointsApp {
  readonly app: Express;
  readonly logs: CapturedLogger;
  readonly endpoints: WebhookEndpointRepository;
  readonly deliveries: WebhookDeliveryRepository;
  close(): Promise<void>;
}

export function createWebhookEndpointsApp(
  db: DatabaseContext,
  options: {
    readonly allowPrivateUrls: boolean;
    readonly resolveHost: HostResolver;
    /** How long a rotated-out secret still signs; default the routes' (24 h). */
    readonly secretOverlapMs?: number;
  },
): WebhookEndpointsApp {
  const harness = createIngressHarness(db, {
    webhookAllowPrivateUrls: options.allowPrivateUrls,
    resolveHost: options.resolveHost,
    ...(options.secretOverlapMs === undefined ? {} : { webhookSecretOverlapMs: options.secretOverlapMs }),
  });
  return {
    app: harness.app,
    logs: harness.logs,
    endpoints: new WebhookEndpointRepository(db.dataSource, db.secrets),
    deliveries: new WebhookDeliveryRepository(db.dataSource, db.secrets),
    close: () => harness.close(),
  };
}

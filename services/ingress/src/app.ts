import express, { type Express } from 'express';
import type { ApiKeyRepository, InstanceRepository, MessageRepository } from '@telenexus/db';
import type { Logger } from '@telenexus/logger';
import type { Provisioning } from '@telenexus/provisioning';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';
import { apiKeysRoutes } from './api-keys/api-keys.routes';
import { ApiKeyAuthenticator } from './auth/api-key-authenticator';
import { authenticate } from './auth/authenticate.middleware';
import { EvolutionWebhookAuthenticator } from './evolution-webhooks/evolution-webhook-authenticator';
import { evolutionWebhookRoutes } from './evolution-webhooks/evolution-webhook.routes';
import { HandleEvolutionEvent } from './evolution-webhooks/handle-evolution-event.use-case';
import { errorResponder } from './http/error-response';
import { jsonBody } from './http/json-body';
import { routeNotFound } from './http/not-found';
import { requestContext } from './http/request-context';
import { instancesRoutes } from './instances/instances.routes';
import { GetMessage } from './messages/get-message.use-case';
import { ListMessages } from './messages/list-messages.use-case';
import { messagesRoutes } from './messages/messages.routes';
import { sendNotificationRoutes } from './notifications/send-notification.routes';
import { SendNotification, type SendJobEnqueuer } from './notifications/send-notification.use-case';

/** Everything the HTTP app needs, built by main.ts (or a test) and passed in. */
export interface IngressDependencies {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly trustProxy?: string;
  /** How billing systems reach us, for the API Integration details. */
  readonly publicBaseUrl: string;
  readonly apiKeys: ApiKeyRepository;
  readonly instances: InstanceRepository;
  readonly messages: MessageRepository;
  readonly provisioning: Provisioning;
  readonly queue: SendJobEnqueuer;
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
}

/** Builds the fully wired ingress app without listening, so tests can mount it with supertest. */
export function createApp(deps: IngressDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', deps.trustProxy ?? 'loopback');
  app.set('query parser', 'simple');

  app.use(requestContext(deps.logger));
  app.use(healthRoutes(deps.readinessChecks));

  // Evolution authenticates with its own per-instance secrets, not API keys.
  app.use(
    '/api/v1',
    evolutionWebhookRoutes(
      new EvolutionWebhookAuthenticator(deps.instances),
      new HandleEvolutionEvent(deps.messages, deps.instances, deps.logger),
    ),
  );

  const api = express.Router();
  // Authenticate before reading any body: strangers' payloads are never parsed.
  api.use(authenticate(new ApiKeyAuthenticator(deps.apiKeys, deps.logger)));
  api.use(jsonBody(deps.bodyLimitBytes));
  api.use(
    sendNotificationRoutes(new SendNotification(deps.instances, deps.messages, deps.queue, deps.logger)),
  );
  api.use(messagesRoutes(new GetMessage(deps.messages), new ListMessages(deps.instances, deps.messages)));
  api.use(apiKeysRoutes(deps.provisioning.apiKeys));
  api.use(instancesRoutes({ management: deps.provisioning.instances, publicBaseUrl: deps.publicBaseUrl }));
  app.use('/api/v1', api);

  app.use(routeNotFound);
  app.use(errorResponder(deps.logger));
  return app;
}

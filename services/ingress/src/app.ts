import express, { type Express } from 'express';
import type { Logger } from '@telenexus/logger';
import { ApiKeyAuthenticator, type ApiKeyStore } from './auth/api-key-authenticator';
import { authenticate } from './auth/authenticate.middleware';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';
import { errorResponder } from './http/error-response';
import { jsonBody } from './http/json-body';
import { routeNotFound } from './http/not-found';
import { requestContext } from './http/request-context';
import { GetMessage, type MessageReader } from './messages/get-message.use-case';
import { messagesRoutes } from './messages/messages.routes';
import { sendNotificationRoutes } from './notifications/send-notification.routes';
import {
  SendNotification,
  type InstanceFinder,
  type OutgoingMessageStore,
  type SendJobEnqueuer,
} from './notifications/send-notification.use-case';

/** Everything the HTTP app needs, built by main.ts (or a test) and passed in. */
export interface IngressDependencies {
  readonly logger: Logger;
  readonly bodyLimitBytes: number;
  readonly trustProxy?: string;
  readonly apiKeys: ApiKeyStore;
  readonly instances: InstanceFinder;
  readonly messages: OutgoingMessageStore & MessageReader;
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

  const api = express.Router();
  // Authenticate before reading any body: strangers' payloads are never parsed.
  api.use(authenticate(new ApiKeyAuthenticator(deps.apiKeys, deps.logger)));
  api.use(jsonBody(deps.bodyLimitBytes));
  api.use(
    sendNotificationRoutes(new SendNotification(deps.instances, deps.messages, deps.queue, deps.logger)),
  );
  api.use(messagesRoutes(new GetMessage(deps.messages)));
  app.use('/api/v1', api);

  app.use(routeNotFound);
  app.use(errorResponder(deps.logger));
  return app;
}

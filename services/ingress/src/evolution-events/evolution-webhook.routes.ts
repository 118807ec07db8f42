import type { EvolutionWebhookResult } from '@telenexus/api-contract';
import { validationError, type Instance } from '@telenexus/core';
import { parseEvolutionEvent } from '@telenexus/evolution';
import express, { Router, type RequestHandler, type Response } from 'express';
import { pathParam } from '../http/path-param';
import type { EvolutionWebhookAuthenticator } from './evolution-webhook-authenticator';
import type { HandleEvolutionEvent } from './handle-evolution-event.use-case';

/** Webhook bodies carry message metadata, not media (base64 is off); 1 MB is ample. */
export const EVOLUTION_WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

interface WebhookLocals {
  evolutionInstance?: Instance;
}

/** The instance the path token and JWT proved, once {@link authenticateWebhook} has run. */
export function webhookInstanceOf(response: Response): Instance {
  const instance = (response.locals as WebhookLocals).evolutionInstance;
  if (!instance) throw new Error('Route is missing the webhook authentication');
  return instance;
}

/**
 * Path token, then JWT, from the URL and headers alone: a refusal answers before a byte of the body
 * is read, so a stranger can make us neither buffer nor parse up to the body limit.
 */
function authenticateWebhook(
  authenticator: Pick<EvolutionWebhookAuthenticator, 'authenticate'>,
): RequestHandler {
  return async (request, response, next) => {
    (response.locals as WebhookLocals).evolutionInstance = await authenticator.authenticate(
      pathParam(request, 'instanceId'),
      pathParam(request, 'token'),
      request.header('authorization'),
    );
    next();
  };
}

/**
 * `POST /api/v1/webhooks/evolution/:instance_id/:token`: where each instance's Evolution posts its
 * events. In this order: authenticate (unknown instance → 404, bad token or JWT → 401; Evolution
 * retries neither), `throttle` (the per-instance rate limit: 429, which Evolution retries), and only
 * then read the body (1 MB). Answers 200 for everything understood or deliberately ignored,
 * duplicates included; only our own transient faults answer 5xx, which Evolution retries.
 */
export function evolutionWebhookRoutes(
  authenticator: Pick<EvolutionWebhookAuthenticator, 'authenticate'>,
  handler: Pick<HandleEvolutionEvent, 'execute'>,
  throttle: RequestHandler,
): Router {
  const router = Router();
  router.post(
    '/webhooks/evolution/:instanceId/:token',
    authenticateWebhook(authenticator),
    throttle,
    express.json({ limit: EVOLUTION_WEBHOOK_BODY_LIMIT_BYTES, type: () => true }),
    async (request, response) => {
      const instance = webhookInstanceOf(response);
      const event = parseEvolutionEvent(request.body);
      if (!event) throw validationError([{ field: 'event', message: 'is required' }]);
      const named = event.instance;
      if (named && named !== instance.evolutionInstanceName) {
        throw validationError([
          {
            field: 'instance',
            message: `is ${named}, but this URL belongs to ${instance.evolutionInstanceName}`,
          },
        ]);
      }
      const outcomes = await handler.execute(instance, event);
      response.json({ received: true, outcomes } satisfies EvolutionWebhookResult);
    },
  );
  return router;
}

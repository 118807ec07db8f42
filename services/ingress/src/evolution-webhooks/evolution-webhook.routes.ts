import type { EvolutionWebhookResult } from '@telenexus/api-contract';
import { validationError } from '@telenexus/core';
import express, { Router } from 'express';
import { pathParam } from '../http/path-param';
import { stringAt } from './evolution-event-fields';
import type { EvolutionWebhookAuthenticator } from './evolution-webhook-authenticator';
import type { HandleEvolutionEvent } from './handle-evolution-event.use-case';

/** Webhook bodies carry message metadata, not media (base64 is off); 1 MB is ample. */
const WEBHOOK_BODY_LIMIT_BYTES = 1024 * 1024;

/**
 * `POST /api/v1/webhooks/evolution/:instance_id/:token`: where each instance's Evolution posts its
 * events. Unknown instance → 404, bad token or JWT → 401 (Evolution does not retry either). Answers
 * 200 for everything understood or deliberately ignored, duplicates included; only our own transient
 * faults answer 5xx, which Evolution retries.
 */
export function evolutionWebhookRoutes(
  authenticator: EvolutionWebhookAuthenticator,
  handler: HandleEvolutionEvent,
): Router {
  const router = Router();
  router.post(
    '/webhooks/evolution/:instanceId/:token',
    express.json({ limit: WEBHOOK_BODY_LIMIT_BYTES, type: () => true }),
    async (request, response) => {
      const instance = await authenticator.authenticate(
        pathParam(request, 'instanceId'),
        pathParam(request, 'token'),
        request.header('authorization'),
      );
      const envelope: unknown = request.body;
      const named = stringAt(envelope, 'instance');
      if (typeof envelope !== 'object' || envelope === null || !stringAt(envelope, 'event')) {
        throw validationError([{ field: 'event', message: 'is required' }]);
      }
      if (named && named !== instance.evolutionInstanceName) {
        throw validationError([
          {
            field: 'instance',
            message: `is ${named}, but this URL belongs to ${instance.evolutionInstanceName}`,
          },
        ]);
      }
      const outcomes = await handler.execute(instance, envelope);
      response.json({ received: true, outcomes } satisfies EvolutionWebhookResult);
    },
  );
  return router;
}

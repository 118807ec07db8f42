import type {
  WebhookDeliveryPage,
  WebhookDeliveryWithAttempts,
  WebhookEndpointList,
  WebhookEndpointTestQueued,
  WebhookEndpointTestResult,
} from '@telenexus/api-contract';
import {
  MAX_WEBHOOK_URL_LENGTH,
  WEBHOOK_DELIVERY_STATUSES,
  DEFAULT_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  type WebhookDeliveryStatus,
  type WebhookEventType,
} from '@telenexus/core';
import { Router } from 'express';
import Joi from 'joi';
import type { AuditTrail } from '../audit/audit-trail';
import { recordAudit } from '../audit/record-audit';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import type { StatusWebhookUseCases } from './status-webhook-use-cases';
import { toWebhookDeliveryAttemptView, toWebhookDeliveryView } from './webhook-delivery-view';
import { toWebhookEndpointView, toWebhookEndpointViewWithSecret } from './webhook-endpoint-view';
import { replayWebhookEventsBodySchema } from './webhook-replay-body.schema';
import { toWebhookReplayView } from './webhook-replay-view';

/** Page sizes of the deliveries log: small by default, bounded so no request reads a whole history. */
export const DEFAULT_DELIVERY_PAGE_SIZE = 50;
export const MAX_DELIVERY_PAGE_SIZE = 200;

const MAX_DESCRIPTION_LENGTH = 500;

interface EndpointBody {
  url: string;
  description?: string | null;
  events: WebhookEventType[];
  enabled?: boolean;
}

const url = Joi.string().trim().min(1).max(MAX_WEBHOOK_URL_LENGTH);
const description = Joi.string().trim().max(MAX_DESCRIPTION_LENGTH).allow(null, '');
const events = Joi.array()
  .items(Joi.string().valid(...SUBSCRIBABLE_WEBHOOK_EVENT_TYPES))
  .min(1)
  .unique()
  .messages({
    'array.min': 'must name at least one event',
    'array.unique': 'must not repeat an event',
  });

export const createWebhookEndpointBodySchema = Joi.object<EndpointBody>({
  url: url.required(),
  description,
  // Opt-in events (message.queued) only when named.
  events: events.default([...DEFAULT_WEBHOOK_EVENT_TYPES]),
});

export const updateWebhookEndpointBodySchema = Joi.object<Partial<EndpointBody>>({
  url,
  description,
  events,
  enabled: Joi.boolean().strict().messages({ 'boolean.base': 'must be true or false' }),
}).min(1);

export const deliveryListQuerySchema = Joi.object<{
  status?: WebhookDeliveryStatus;
  cursor?: string;
  limit: number;
}>({
  status: Joi.string().valid(...WEBHOOK_DELIVERY_STATUSES),
  cursor: Joi.string().max(300),
  limit: Joi.number().integer().min(1).max(MAX_DELIVERY_PAGE_SIZE).default(DEFAULT_DELIVERY_PAGE_SIZE),
});

/** `null` and blank descriptions both mean none. */
function descriptionOf(value: string | null | undefined): string | null | undefined {
  return value === undefined ? undefined : value === null || value === '' ? null : value;
}

/**
 * Status webhooks, for admin keys: `/webhook-endpoints` (register, list, read, change, delete,
 * rotate the secret, replay a window of events, and each endpoint's deliveries) and `/webhook-deliveries/:id` (one delivery with
 * its attempts, and a manual retry). Mount under `/api/v1`, behind authentication and the JSON body
 * parser. The secret is in the answers to creation and rotation only.
 */
export function webhookEndpointRoutes(
  {
    endpoints: manageEndpoints,
    deliveries: manageDeliveries,
    replay: replayEvents,
    test: testEndpoint,
  }: StatusWebhookUseCases,
  audit: AuditTrail,
): Router {
  const router = Router();
  const admin = requirePermission('admin');

  router.post(
    '/webhook-endpoints',
    audit.action('webhook_endpoint.create', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const body = validate(createWebhookEndpointBodySchema, request.body ?? null, 'body');
      const endpoint = await manageEndpoints.create(principalOf(response).accountId, {
        url: body.url,
        description: descriptionOf(body.description) ?? null,
        events: body.events,
      });
      await recordAudit(request, response, { targetId: endpoint.id, after: toWebhookEndpointView(endpoint) });
      response.status(201).json(toWebhookEndpointViewWithSecret(endpoint));
    },
  );

  router.get('/webhook-endpoints', admin, async (_request, response) => {
    const endpoints = await manageEndpoints.list(principalOf(response).accountId);
    response.json({ data: endpoints.map(toWebhookEndpointView) } satisfies WebhookEndpointList);
  });

  router.get('/webhook-endpoints/:id', admin, async (request, response) => {
    const endpoint = await manageEndpoints.get(principalOf(response).accountId, pathParam(request, 'id'));
    response.json(toWebhookEndpointView(endpoint));
  });

  router.patch(
    '/webhook-endpoints/:id',
    audit.action('webhook_endpoint.update', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const body = validate(updateWebhookEndpointBodySchema, request.body ?? null, 'body');
      const before = await manageEndpoints.get(principalOf(response).accountId, pathParam(request, 'id'));
      const endpoint = await manageEndpoints.update(
        principalOf(response).accountId,
        pathParam(request, 'id'),
        {
          url: body.url,
          description: descriptionOf(body.description),
          events: body.events,
          enabled: body.enabled,
        },
      );
      await recordAudit(request, response, {
        before: toWebhookEndpointView(before),
        after: toWebhookEndpointView(endpoint),
      });
      response.json(toWebhookEndpointView(endpoint));
    },
  );

  router.delete(
    '/webhook-endpoints/:id',
    audit.action('webhook_endpoint.delete', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const before = await manageEndpoints.get(principalOf(response).accountId, pathParam(request, 'id'));
      await manageEndpoints.delete(principalOf(response).accountId, pathParam(request, 'id'));
      await recordAudit(request, response, { before: toWebhookEndpointView(before) });
      response.status(204).end();
    },
  );

  router.post(
    '/webhook-endpoints/:id/rotate-secret',
    audit.action('webhook_endpoint.rotate_secret', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const endpoint = await manageEndpoints.rotateSecret(
        principalOf(response).accountId,
        pathParam(request, 'id'),
      );
      const overlap = endpoint.previousSecretExpiresAt;
      await recordAudit(request, response, {
        detail: overlap
          ? `Signing secret rotated; the old one also signs until ${overlap.toISOString()}`
          : 'Signing secret rotated; the old one stopped at once',
      });
      response.json(toWebhookEndpointViewWithSecret(endpoint));
    },
  );

  router.post(
    '/webhook-endpoints/:id/test',
    audit.action('webhook_endpoint.test', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const { delivery, firstAttempt } = await testEndpoint.execute(
        principalOf(response).accountId,
        pathParam(request, 'id'),
      );
      if (!firstAttempt) {
        await recordAudit(request, response, { detail: 'Test event queued; no dispatcher sent it in time' });
        response.status(202).json({
          delivery_id: delivery.id,
          event_id: delivery.eventId,
          detail:
            'The test event is queued: no dispatcher sent it within the wait. It will be delivered when one ' +
            'runs; see the endpoint’s deliveries.',
        } satisfies WebhookEndpointTestQueued);
        return;
      }
      const result = {
        delivery_id: delivery.id,
        event_id: delivery.eventId,
        delivered:
          firstAttempt.statusCode !== null && firstAttempt.statusCode >= 200 && firstAttempt.statusCode < 300,
        status_code: firstAttempt.statusCode,
        duration_ms: firstAttempt.durationMs,
        error: firstAttempt.error,
        attempted_at: firstAttempt.attemptedAt.toISOString(),
      } satisfies WebhookEndpointTestResult;
      await recordAudit(request, response, {
        detail: `Test event sent: ${firstAttempt.statusCode === null ? (firstAttempt.error ?? 'no answer') : `HTTP ${firstAttempt.statusCode}`}`,
      });
      response.json(result);
    },
  );

  router.get('/webhook-endpoints/:id/deliveries', admin, async (request, response) => {
    const query = validate(deliveryListQuerySchema, request.query, 'query');
    const page = await manageDeliveries.listForEndpoint(
      principalOf(response).accountId,
      pathParam(request, 'id'),
      query,
    );
    response.json({
      data: page.deliveries.map(toWebhookDeliveryView),
      next_cursor: page.nextCursor,
    } satisfies WebhookDeliveryPage);
  });

  router.post(
    '/webhook-endpoints/:id/replay',
    audit.action('webhook_endpoint.replay', 'webhook_endpoint'),
    admin,
    async (request, response) => {
      const body = validate(replayWebhookEventsBodySchema, request.body ?? null, 'body');
      const outcome = await replayEvents.replay(
        principalOf(response).accountId,
        pathParam(request, 'id'),
        body,
      );
      const view = toWebhookReplayView(outcome);
      await recordAudit(request, response, {
        after: view,
        detail: `${outcome.replayed} event(s) from ${view.since} to ${view.until} queued for redelivery`,
      });
      response.status(202).json(view);
    },
  );

  router.get('/webhook-deliveries/:id', admin, async (request, response) => {
    const { delivery, attempts } = await manageDeliveries.get(
      principalOf(response).accountId,
      pathParam(request, 'id'),
    );
    response.json({
      ...toWebhookDeliveryView(delivery),
      attempts_log: attempts.map(toWebhookDeliveryAttemptView),
    } satisfies WebhookDeliveryWithAttempts);
  });

  router.post(
    '/webhook-deliveries/:id/retry',
    audit.action('webhook_delivery.retry', 'webhook_delivery'),
    admin,
    async (request, response) => {
      const { delivery, attempts } = await manageDeliveries.retry(
        principalOf(response).accountId,
        pathParam(request, 'id'),
      );
      await recordAudit(request, response, {
        detail: `Delivery of ${delivery.eventType} made due again after ${delivery.attempts} attempt(s)`,
      });
      response.status(202).json({
        ...toWebhookDeliveryView(delivery),
        attempts_log: attempts.map(toWebhookDeliveryAttemptView),
      } satisfies WebhookDeliveryWithAttempts);
    },
  );

  return router;
}

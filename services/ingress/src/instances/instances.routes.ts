import { toInstanceConnectionView, toInstanceView } from '@telenexus/provisioning';
import type { InstanceList } from '@telenexus/api-contract';
import type { InstanceConnections, InstanceManagement } from '@telenexus/provisioning';
import { Router } from 'express';
import Joi from 'joi';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import { toIntegrationView } from './integration-view';

interface SendingSettingsBody {
  pacing?: { min_gap_ms?: number; jitter_ms?: number; daily_cap?: number | null };
  quiet_hours?: { start: string; end: string } | null;
}

interface CreateInstanceBody extends SendingSettingsBody {
  name: string;
  evolution_instance_name: string;
  evolution_token?: string | null;
  country?: string | null;
  timezone?: string | null;
}

// Range checks live in provisioning (the CLI shares them); here only the shape is checked.
const sendingSettings = {
  pacing: Joi.object({
    min_gap_ms: Joi.number().integer(),
    jitter_ms: Joi.number().integer(),
    daily_cap: Joi.number().integer().allow(null),
  }),
  quiet_hours: Joi.object({ start: Joi.string().required(), end: Joi.string().required() }).allow(null),
};

export const createInstanceBodySchema = Joi.object<CreateInstanceBody>({
  name: Joi.string().trim().min(1).max(200).required(),
  evolution_instance_name: Joi.string().trim().min(1).max(100).required(),
  evolution_token: Joi.string().trim().max(500).allow(null, ''),
  country: Joi.string().trim().allow(null, ''),
  timezone: Joi.string().trim().allow(null, ''),
  ...sendingSettings,
});

type UpdateInstanceBody = Partial<Omit<CreateInstanceBody, 'evolution_instance_name'>>;

export const updateInstanceBodySchema = Joi.object<UpdateInstanceBody>({
  name: Joi.string().trim().min(1).max(200),
  evolution_token: Joi.string().trim().max(500).allow(null, ''),
  country: Joi.string().trim().allow(null, ''),
  timezone: Joi.string().trim().min(1),
  ...sendingSettings,
}).min(1);

export const connectInstanceBodySchema = Joi.object<{ number?: string }>({
  number: Joi.string()
    .pattern(/^[0-9]{7,15}$/)
    .messages({ 'string.pattern.base': 'must be 7–15 digits with the country code, e.g. 254712345678' }),
});

function toSendingSettings(body: SendingSettingsBody) {
  return {
    pacingMinGapMs: body.pacing?.min_gap_ms,
    pacingJitterMs: body.pacing?.jitter_ms,
    dailyCap: body.pacing?.daily_cap,
    quietHours: body.quiet_hours,
  };
}

export interface InstancesRoutesOptions {
  readonly management: InstanceManagement;
  /** The QR Code tab: connection state, Reconnect and logout. */
  readonly connections: InstanceConnections;
  /** How billing systems reach us, for the API Integration details. */
  readonly publicBaseUrl: string;
}

/** The Instances page's operations, for admin keys; other accounts' ids are simply not found. */
export function instancesRoutes({ management, connections, publicBaseUrl }: InstancesRoutesOptions): Router {
  const router = Router();
  const admin = requirePermission('admin');

  router.post('/instances', admin, async (request, response) => {
    const body = validate(createInstanceBodySchema, request.body ?? null, 'body');
    const instance = await management.create({
      accountId: principalOf(response).accountId,
      name: body.name,
      evolutionInstanceName: body.evolution_instance_name,
      evolutionToken: body.evolution_token ?? null,
      country: body.country ?? null,
      timezone: body.timezone ?? null,
      ...toSendingSettings(body),
    });
    response.status(201).json(toInstanceView(instance));
  });

  router.get('/instances', admin, async (_request, response) => {
    const instances = await management.list(principalOf(response).accountId);
    response.json({ data: instances.map(toInstanceView) } satisfies InstanceList);
  });

  router.get('/instances/:id', admin, async (request, response) => {
    response.json(
      toInstanceView(await management.get(principalOf(response).accountId, pathParam(request, 'id'))),
    );
  });

  router.patch('/instances/:id', admin, async (request, response) => {
    const body = validate(updateInstanceBodySchema, request.body ?? null, 'body');
    const updated = await management.update(principalOf(response).accountId, pathParam(request, 'id'), {
      name: body.name,
      evolutionToken: body.evolution_token,
      country: body.country,
      timezone: body.timezone ?? undefined,
      ...toSendingSettings(body),
    });
    response.json(toInstanceView(updated));
  });

  router.delete('/instances/:id', admin, async (request, response) => {
    await management.delete(principalOf(response).accountId, pathParam(request, 'id'));
    response.status(204).end();
  });

  router.get('/instances/:id/integration', admin, async (request, response) => {
    const instance = await management.get(principalOf(response).accountId, pathParam(request, 'id'));
    response.json(toIntegrationView(instance, publicBaseUrl));
  });

  router.post('/instances/:id/evolution-webhook', admin, async (request, response) => {
    const instance = await management.reapplyWebhook(
      principalOf(response).accountId,
      pathParam(request, 'id'),
    );
    response.json(toInstanceView(instance));
  });

  router.get('/instances/:id/connection', admin, async (request, response) => {
    const status = await connections.status(principalOf(response).accountId, pathParam(request, 'id'));
    response.json(toInstanceConnectionView(status));
  });

  router.post('/instances/:id/connect', admin, async (request, response) => {
    const body = validate(connectInstanceBodySchema, request.body ?? {}, 'body');
    const status = await connections.connect(
      principalOf(response).accountId,
      pathParam(request, 'id'),
      body.number,
    );
    response.json(toInstanceConnectionView(status));
  });

  router.post('/instances/:id/logout', admin, async (request, response) => {
    const status = await connections.logout(principalOf(response).accountId, pathParam(request, 'id'));
    response.json(toInstanceConnectionView(status));
  });

  return router;
}

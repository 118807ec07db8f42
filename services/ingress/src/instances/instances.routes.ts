import {
  OPERATOR_ACTOR,
  TENANT_ACTOR,
  toInstanceConnectionView,
  toInstanceView,
  type InstanceActor,
} from '@telenexus/provisioning';
import type { InstanceList } from '@telenexus/api-contract';
import type { InstanceConnections, InstanceManagement } from '@telenexus/provisioning';
import { Router, type Response } from 'express';
import Joi from 'joi';
import type { AuditTrail } from '../audit/audit-trail';
import { recordAudit } from '../audit/record-audit';
import { principalOf, requireAnyPermission, requirePermission } from '../auth/authenticate.middleware';
import { isOperator } from '../auth/operator-principal';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import { toIntegrationView } from './integration-view';

interface SendingSettingsBody {
  pacing?: { min_gap_ms?: number; jitter_ms?: number; daily_cap?: number | null };
  quiet_hours?: { start: string; end: string } | null;
  default_language?: string | null;
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
  default_language: Joi.string().trim().max(35).allow(null, ''),
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
    defaultLanguage: body.default_language,
  };
}

export interface InstancesRoutesOptions {
  readonly management: InstanceManagement;
  /** The QR Code tab: connection state, Reconnect and logout. */
  readonly connections: InstanceConnections;
  /** How billing systems reach us, for the API Integration details. */
  readonly publicBaseUrl: string;
  /** The operator's own account, whose admin keys may link instances without their tokens. */
  readonly operatorAccountId?: string;
  /** Records every change in the audit log. */
  readonly audit: AuditTrail;
  /**
   * Drops this process's cached copy of an instance it changed, before answering, so the very next
   * send sees the change (other replicas hear it from the database).
   */
  readonly forgetInstance?: (id: string) => void;
}

/**
 * The Instances page's operations, for admin keys; support keys may read instances and their
 * connection. Other accounts' ids are simply not found.
 */
export function instancesRoutes({
  management,
  connections,
  publicBaseUrl,
  operatorAccountId,
  audit,
  forgetInstance = () => undefined,
}: InstancesRoutesOptions): Router {
  const router = Router();
  const admin = requirePermission('admin');
  // Support staff read instances and their connection; every change stays with admin keys.
  const reader = requireAnyPermission('admin', 'support');
  const actorOf = (response: Response): InstanceActor =>
    isOperator(principalOf(response), operatorAccountId) ? OPERATOR_ACTOR : TENANT_ACTOR;

  router.post('/instances', audit.action('instance.create', 'instance'), admin, async (request, response) => {
    const body = validate(createInstanceBodySchema, request.body ?? null, 'body');
    const instance = await management.create(
      {
        accountId: principalOf(response).accountId,
        name: body.name,
        evolutionInstanceName: body.evolution_instance_name,
        evolutionToken: body.evolution_token ?? null,
        country: body.country ?? null,
        timezone: body.timezone ?? null,
        ...toSendingSettings(body),
      },
      actorOf(response),
    );
    await recordAudit(request, response, { targetId: instance.id, after: toInstanceView(instance) });
    response.status(201).json(toInstanceView(instance));
  });

  router.get('/instances', reader, async (_request, response) => {
    const instances = await management.list(principalOf(response).accountId);
    response.json({ data: instances.map(toInstanceView) } satisfies InstanceList);
  });

  router.get('/instances/:id', reader, async (request, response) => {
    response.json(
      toInstanceView(await management.get(principalOf(response).accountId, pathParam(request, 'id'))),
    );
  });

  router.patch(
    '/instances/:id',
    audit.action('instance.update', 'instance'),
    admin,
    async (request, response) => {
      const body = validate(updateInstanceBodySchema, request.body ?? null, 'body');
      const before = await management.get(principalOf(response).accountId, pathParam(request, 'id'));
      const updated = await management.update(
        principalOf(response).accountId,
        pathParam(request, 'id'),
        {
          name: body.name,
          evolutionToken: body.evolution_token,
          country: body.country,
          timezone: body.timezone ?? undefined,
          ...toSendingSettings(body),
        },
        actorOf(response),
      );
      forgetInstance(updated.id);
      await recordAudit(request, response, {
        before: toInstanceView(before),
        after: toInstanceView(updated),
      });
      response.json(toInstanceView(updated));
    },
  );

  router.delete(
    '/instances/:id',
    audit.action('instance.delete', 'instance'),
    admin,
    async (request, response) => {
      const before = await management.get(principalOf(response).accountId, pathParam(request, 'id'));
      await management.delete(principalOf(response).accountId, pathParam(request, 'id'));
      forgetInstance(before.id);
      await recordAudit(request, response, { before: toInstanceView(before) });
      response.status(204).end();
    },
  );

  router.get('/instances/:id/integration', admin, async (request, response) => {
    const instance = await management.get(principalOf(response).accountId, pathParam(request, 'id'));
    response.json(toIntegrationView(instance, publicBaseUrl));
  });

  router.post(
    '/instances/:id/evolution-webhook',
    audit.action('instance.evolution_webhook', 'instance'),
    admin,
    async (request, response) => {
      const before = await management.get(principalOf(response).accountId, pathParam(request, 'id'));
      const instance = await management.reapplyWebhook(
        principalOf(response).accountId,
        pathParam(request, 'id'),
      );
      await recordAudit(request, response, {
        before: toInstanceView(before),
        after: toInstanceView(instance),
      });
      response.json(toInstanceView(instance));
    },
  );

  router.get('/instances/:id/connection', reader, async (request, response) => {
    const principal = principalOf(response);
    const status = await connections.status(principal.accountId, pathParam(request, 'id'));
    const view = toInstanceConnectionView(status);
    // A QR or pairing code links a phone to the number: pairing is a change, so only admins see it.
    response.json(principal.permissions.includes('admin') ? view : { ...view, qr: null });
  });

  router.post(
    '/instances/:id/connect',
    audit.action('instance.connect', 'instance'),
    admin,
    async (request, response) => {
      const body = validate(connectInstanceBodySchema, request.body ?? {}, 'body');
      const status = await connections.connect(
        principalOf(response).accountId,
        pathParam(request, 'id'),
        body.number,
      );
      await recordAudit(request, response, { detail: `Connection state: ${status.state}` });
      response.json(toInstanceConnectionView(status));
    },
  );

  router.post(
    '/instances/:id/logout',
    audit.action('instance.logout', 'instance'),
    admin,
    async (request, response) => {
      const status = await connections.logout(principalOf(response).accountId, pathParam(request, 'id'));
      await recordAudit(request, response, { detail: `Connection state: ${status.state}` });
      response.json(toInstanceConnectionView(status));
    },
  );

  return router;
}

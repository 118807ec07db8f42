import type { ApiKeyList, CreatedApiKey, RotatedApiKey } from '@telenexus/api-contract';
import { DomainError, PERMISSIONS, isUuid } from '@telenexus/core';
import { MAX_ROTATION_GRACE_SECONDS, type ApiKeyManagement, toApiKeyView } from '@telenexus/provisioning';
import { Router } from 'express';
import Joi from 'joi';
import type { AuditTrail } from '../audit/audit-trail';
import { recordAudit } from '../audit/record-audit';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';

export const createApiKeyBodySchema = Joi.object<{ name: string; permissions: string[] }>({
  name: Joi.string().trim().min(1).max(200).required(),
  permissions: Joi.array()
    .items(Joi.string().valid(...PERMISSIONS))
    .min(1)
    .unique()
    .required()
    .messages({
      'array.min': 'must name at least one permission',
      'array.unique': 'must not repeat a permission',
    }),
});

export const rotateApiKeyBodySchema = Joi.object<{ grace_seconds: number }>({
  grace_seconds: Joi.number().integer().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(0),
});

function keyId(raw: string): string {
  if (!isUuid(raw)) throw new DomainError('not_found', 'API key not found');
  return raw;
}

/**
 * The API Keys page's operations, for admin keys: create (the key is in this answer only), list,
 * revoke (effective at once) and rotate (optionally with a grace period for the old key).
 * `forgetKey` drops this process's cached copy of a key it changed before answering, so the very
 * next request here sees the change (other replicas hear of it through the database at commit).
 */
export function apiKeysRoutes(
  management: ApiKeyManagement,
  audit: AuditTrail,
  forgetKey: (lookupPrefix: string) => void = () => undefined,
): Router {
  const router = Router();
  const admin = requirePermission('admin');

  router.post('/api-keys', audit.action('api_key.create', 'api_key'), admin, async (request, response) => {
    const body = validate(createApiKeyBodySchema, request.body ?? null, 'body');
    const { accountId } = principalOf(response);
    const created = await management.create({ accountId, name: body.name, permissions: body.permissions });
    await recordAudit(request, response, {
      targetId: created.record.id,
      after: toApiKeyView(created.record),
    });
    response
      .status(201)
      .json({ ...toApiKeyView(created.record), key: created.secret } satisfies CreatedApiKey);
  });

  router.get('/api-keys', admin, async (_request, response) => {
    const keys = await management.list(principalOf(response).accountId);
    response.json({ data: keys.map((key) => toApiKeyView(key)) } satisfies ApiKeyList);
  });

  router.delete(
    '/api-keys/:id',
    audit.action('api_key.revoke', 'api_key'),
    admin,
    async (request, response) => {
      const { accountId } = principalOf(response);
      const id = keyId(pathParam(request, 'id'));
      const before = await management.find(accountId, id);
      const revoked = await management.revoke(accountId, id);
      forgetKey(revoked.lookupPrefix);
      await recordAudit(request, response, {
        before: before && toApiKeyView(before),
        after: toApiKeyView(revoked),
      });
      response.json(toApiKeyView(revoked));
    },
  );

  router.post(
    '/api-keys/:id/rotate',
    audit.action('api_key.rotate', 'api_key'),
    admin,
    async (request, response) => {
      const { grace_seconds: graceSeconds } = validate(rotateApiKeyBodySchema, request.body ?? {}, 'body');
      const { accountId } = principalOf(response);
      const id = keyId(pathParam(request, 'id'));
      const before = await management.find(accountId, id);
      const replacement = await management.rotate(accountId, id, graceSeconds);
      const after = await management.find(accountId, id);
      if (after) forgetKey(after.lookupPrefix);
      await recordAudit(request, response, {
        before: before && toApiKeyView(before),
        after: after && toApiKeyView(after),
        detail: `Replaced by key ${replacement.record.id} (grace ${graceSeconds} s)`,
      });
      response.status(201).json({
        ...toApiKeyView(replacement.record),
        key: replacement.secret,
        replaces: id,
      } satisfies RotatedApiKey);
    },
  );

  return router;
}

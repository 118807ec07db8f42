import { DomainError, PERMISSIONS } from '@telenexus/core';
import { MAX_ROTATION_GRACE_SECONDS, type ApiKeyManagement } from '@telenexus/provisioning';
import { Router } from 'express';
import Joi from 'joi';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import { toApiKeyView } from './api-key-view';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

const createSchema = Joi.object<{ name: string; permissions: string[] }>({
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

const rotateSchema = Joi.object<{ grace_seconds: number }>({
  grace_seconds: Joi.number().integer().min(0).max(MAX_ROTATION_GRACE_SECONDS).default(0),
});

function keyId(raw: string): string {
  if (!UUID.test(raw)) throw new DomainError('not_found', 'API key not found');
  return raw;
}

/**
 * The API Keys page's operations, for admin keys: create (the key is in this answer only), list,
 * revoke (effective at once) and rotate (optionally with a grace period for the old key).
 */
export function apiKeysRoutes(management: ApiKeyManagement): Router {
  const router = Router();
  const admin = requirePermission('admin');

  router.post('/api-keys', admin, async (request, response) => {
    const body = validate(createSchema, request.body ?? null, 'body');
    const { accountId } = principalOf(response);
    const created = await management.create({ accountId, name: body.name, permissions: body.permissions });
    response.status(201).json({ ...toApiKeyView(created.record), key: created.secret });
  });

  router.get('/api-keys', admin, async (_request, response) => {
    const keys = await management.list(principalOf(response).accountId);
    response.json({ data: keys.map((key) => toApiKeyView(key)) });
  });

  router.delete('/api-keys/:id', admin, async (request, response) => {
    const revoked = await management.revoke(principalOf(response).accountId, keyId(pathParam(request, 'id')));
    response.json(toApiKeyView(revoked));
  });

  router.post('/api-keys/:id/rotate', admin, async (request, response) => {
    const { grace_seconds: graceSeconds } = validate(rotateSchema, request.body ?? {}, 'body');
    const id = keyId(pathParam(request, 'id'));
    const replacement = await management.rotate(principalOf(response).accountId, id, graceSeconds);
    response.status(201).json({ ...toApiKeyView(replacement.record), key: replacement.secret, replaces: id });
  });

  return router;
}

import { auditChanges, isUuid, type AuditTarget, type Principal } from '@telenexus/core';
import type { Request, Response } from 'express';
import { principalOf } from '../auth/authenticate.middleware';
import { auditedRouteOf } from './audit-trail';

/** What a route knows once its action succeeded. */
export interface SucceededAction {
  /** The target's id when it is not the `:id` in the path (a new target's). */
  readonly targetId?: string;
  /** Public views (never the secret-carrying ones) of the target before and after. */
  readonly before?: object | null;
  readonly after?: object | null;
  readonly detail?: string;
}

/** The acting key as the audit log names it. */
export function auditActor(principal: Principal) {
  return { kind: 'api_key', apiKeyId: principal.apiKeyId, apiKeyName: principal.apiKeyName } as const;
}

/** The route's target: its declared type with the given id or the path's `:id` (when it is a uuid). */
export function auditTarget(response: Response, targetId?: string): AuditTarget | null {
  const route = auditedRouteOf(response);
  const id = targetId ?? route?.pathId ?? '';
  return route?.targetType && isUuid(id) ? { type: route.targetType, id } : null;
}

/**
 * Records the succeeded action the route was marked with (`AuditTrail.action`), by the calling key,
 * from the client's address (`request.ip`, behind the configured trusted proxies). Before and after
 * pass through `auditChanges`, which drops every field named like a secret.
 */
export async function recordAudit(
  request: Request,
  response: Response,
  action: SucceededAction = {},
): Promise<void> {
  const route = auditedRouteOf(response);
  if (!route) throw new Error('Route is missing its AuditTrail.action marker');
  const principal = principalOf(response);
  await route.trail.record({
    accountId: principal.accountId,
    action: route.action,
    outcome: 'succeeded',
    actor: auditActor(principal),
    clientIp: request.ip ?? null,
    target: auditTarget(response, action.targetId),
    changes: auditChanges(action.before, action.after),
    detail: action.detail ?? null,
  });
}

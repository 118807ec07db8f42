import type { AuditEventPage } from '@telenexus/api-contract';
import { toAuditEventView } from '@telenexus/provisioning';
import { Router } from 'express';
import Joi from 'joi';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { parseTimeBound } from '../http/time-bound';
import { validate } from '../http/validate';
import type { AuditEventListQuery, ListAuditEvents } from './list-audit-events.use-case';

export const DEFAULT_AUDIT_PAGE_SIZE = 50;
export const MAX_AUDIT_PAGE_SIZE = 200;

function timeBound(side: 'from' | 'to') {
  return Joi.string().custom((value: string) => {
    const bound = parseTimeBound(value, side);
    if (!bound) throw new Error('must be an ISO 8601 date (2026-02-01) or date-time with offset');
    return bound;
  });
}

export const listAuditEventsQuerySchema = Joi.object<AuditEventListQuery>({
  // An action or a prefix of one: lower-case words, underscores and dots (`instance.`, `api_key.rotate`).
  action: Joi.string()
    .max(100)
    .pattern(/^[a-z_]+(\.[a-z_]*)?$/)
    .messages({ 'string.pattern.base': 'must be an action (instance.update) or a prefix (instance.)' }),
  from: timeBound('from'),
  to: timeBound('to'),
  cursor: Joi.string().max(200),
  limit: Joi.number().integer().min(1).max(MAX_AUDIT_PAGE_SIZE).default(DEFAULT_AUDIT_PAGE_SIZE),
});

/**
 * `GET /api/v1/audit-events`, for admin keys: the account's audit log, newest first. The log is
 * append-only, so this is its only route: nothing here or anywhere updates or deletes an event.
 */
export function auditEventsRoutes(listAuditEvents: ListAuditEvents): Router {
  const router = Router();

  router.get('/audit-events', requirePermission('admin'), async (request, response) => {
    const query = validate(listAuditEventsQuerySchema, request.query, 'query');
    const page = await listAuditEvents.execute(principalOf(response).accountId, query);
    response.json({
      data: page.events.map(toAuditEventView),
      next_cursor: page.nextCursor,
    } satisfies AuditEventPage);
  });

  return router;
}

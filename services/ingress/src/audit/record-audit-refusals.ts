import { isDomainError, type ErrorCode, type Principal } from '@telenexus/core';
import type { ErrorRequestHandler, Response } from 'express';
import { auditedRouteOf } from './audit-trail';
import { auditActor, auditTarget } from './record-audit';

/**
 * Refusals worth a record: a key without the right (a support or sending key trying to manage), a
 * target that is not the account's (or does not exist: the same answer, on purpose), a rule that
 * refused (the last admin key, a name taken), Evolution refusing a token. Malformed bodies are not:
 * nothing was attempted on anything.
 */
const RECORDED_REFUSALS: ReadonlySet<ErrorCode> = new Set([
  'forbidden',
  'not_found',
  'conflict',
  'evolution_rejected',
]);

interface PrincipalLocals {
  principal?: Principal;
}

function principalIfAny(response: Response): Principal | undefined {
  return (response.locals as PrincipalLocals).principal;
}

/**
 * Error middleware for the API router: records a refused management action, then lets the error
 * go on to the error responder unchanged.
 */
export const recordAuditRefusals: ErrorRequestHandler = (error, request, response, next) => {
  const route = auditedRouteOf(response);
  const principal = principalIfAny(response);
  if (!route || !principal || !isDomainError(error) || !RECORDED_REFUSALS.has(error.code)) {
    next(error);
    return;
  }
  // `record` never rejects (a failed insert is logged), so the error always goes on.
  void route.trail
    .record({
      accountId: principal.accountId,
      action: route.action,
      outcome: 'refused',
      actor: auditActor(principal),
      clientIp: request.ip ?? null,
      // An id that named nothing of the account is not a target of it (and may be another account's).
      target: error.code === 'not_found' ? null : auditTarget(response),
      changes: null,
      detail: `${error.code}: ${error.message}`.slice(0, 500),
    })
    .then(() => next(error));
};

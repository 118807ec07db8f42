import type { NewAuditEvent } from '@telenexus/core';
import { INVALID_KEY_DETAIL } from '../auth/api-key-authenticator';
import {
  NO_CONSOLE_PERMISSION_DETAIL,
  type SignInListener,
  type SignInOutcome,
} from '../console/console-sign-in.routes';
import type { AuditEventStore } from './audit-trail';
import { auditActor } from './record-audit';

function signInEvent(outcome: SignInOutcome, clientIp: string | null): NewAuditEvent {
  const common = { action: 'console.sign_in', clientIp, target: null, changes: null } as const;
  if (outcome.result === 'succeeded') {
    return {
      ...common,
      accountId: outcome.principal.accountId,
      outcome: 'succeeded',
      actor: auditActor(outcome.principal),
      detail: `Signed in to the ${outcome.role} console`,
    };
  }
  if (outcome.reason === 'unknown_key') {
    // Nothing of the presented key is kept: it may be a real key mistyped, or someone else's.
    return {
      ...common,
      accountId: null,
      outcome: 'refused',
      actor: { kind: 'api_key', apiKeyId: null, apiKeyName: null },
      detail: INVALID_KEY_DETAIL,
    };
  }
  return {
    ...common,
    accountId: outcome.principal.accountId,
    outcome: 'refused',
    actor: auditActor(outcome.principal),
    detail: NO_CONSOLE_PERMISSION_DETAIL,
  };
}

/**
 * Records every console sign-in, refused ones included. Unlike a management action (already done
 * when it is recorded, see AuditTrail), a sign-in has changed nothing yet: one that cannot be
 * recorded fails (500) rather than let anyone in unrecorded.
 */
export function recordSignIn(store: AuditEventStore): SignInListener {
  return async (outcome, request) => {
    await store.append(signInEvent(outcome, request.ip ?? null));
  };
}

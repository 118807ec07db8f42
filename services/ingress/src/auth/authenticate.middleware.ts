import { DomainError, isDomainError, type Permission, type Principal } from '@telenexus/core';
import { addToLogContext } from '@telenexus/logger';
import type { RequestHandler, Response } from 'express';
import type { ApiKeyAuthenticator } from './api-key-authenticator';
import { bearerChallenge } from './bearer-challenge';

interface AuthenticatedLocals {
  principal?: Principal;
}

/**
 * Requires a valid Bearer API key; the caller is then available through {@link principalOf}. A
 * refusal carries the Bearer challenge, saying whether the token itself was refused.
 */
export function authenticate(authenticator: ApiKeyAuthenticator): RequestHandler {
  return async (request, response, next) => {
    const authorization = request.header('authorization');
    let principal: Principal;
    try {
      principal = await authenticator.authenticate(authorization);
    } catch (error) {
      if (isDomainError(error) && error.code === 'unauthenticated') {
        response.setHeader('WWW-Authenticate', bearerChallenge(authorization));
      }
      throw error;
    }
    actAs(response, principal);
    next();
  };
}

/** Makes the checked key the request's caller: for {@link principalOf}, and on every log line. */
export function actAs(response: Response, principal: Principal): void {
  (response.locals as AuthenticatedLocals).principal = principal;
  addToLogContext({ accountId: principal.accountId });
}

/**
 * Refuses a key whose only permission is `send_text`: that permission opens the URL gateway alone,
 * whose keys may travel in URLs, so such a key reads and changes nothing else, not even an empty page.
 */
export const refuseGatewayOnlyKeys: RequestHandler = (_request, response, next) => {
  if (principalOf(response).permissions.every((permission) => permission === 'send_text')) {
    throw new DomainError(
      'forbidden',
      'This API key has only the send_text permission, which only /api/v1/gateway/send accepts',
    );
  }
  next();
};

/** Requires the authenticated key to carry a permission. */
export function requirePermission(permission: Permission): RequestHandler {
  return (_request, response, next) => {
    if (!principalOf(response).permissions.includes(permission)) {
      throw new DomainError('forbidden', `This API key does not have the ${permission} permission`);
    }
    next();
  };
}

/**
 * Requires the authenticated key to carry at least one of the permissions: a read route that admin
 * keys and support staff's read-only keys share, say.
 */
export function requireAnyPermission(...permissions: readonly [Permission, ...Permission[]]): RequestHandler {
  const names =
    permissions.length === 1
      ? permissions[0]
      : `${permissions.slice(0, -1).join(', ')} or ${permissions[permissions.length - 1]}`;
  return (_request, response, next) => {
    const held = principalOf(response).permissions;
    if (!permissions.some((permission) => held.includes(permission))) {
      throw new DomainError('forbidden', `This API key does not have the ${names} permission`);
    }
    next();
  };
}

export function principalOf(response: Response): Principal {
  const principal = (response.locals as AuthenticatedLocals).principal;
  if (!principal) throw new Error('Route is missing the authenticate middleware');
  return principal;
}

import type { ConsoleSignIn } from '@telenexus/api-contract';
import { DomainError, isDomainError, type Permission, type Principal } from '@telenexus/core';
import { addToLogContext } from '@telenexus/logger';
import { Router, type Request } from 'express';
import { INVALID_KEY_DETAIL, type ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { bearerChallenge } from '../auth/bearer-challenge';

/** Which console a key gets: the whole of it, or the read-only one for support staff. */
export type ConsoleRole = 'admin' | 'support';

export const NO_CONSOLE_PERMISSION_DETAIL =
  'This key cannot sign in to the console: it needs the admin or support permission';

/** How one sign-in attempt ended; the key is known unless it was refused as unknown or revoked. */
export type SignInOutcome =
  | { readonly result: 'succeeded'; readonly principal: Principal; readonly role: ConsoleRole }
  | { readonly result: 'refused'; readonly reason: 'unknown_key'; readonly principal: null }
  | { readonly result: 'refused'; readonly reason: 'no_console_permission'; readonly principal: Principal };

/**
 * Told of every attempt, refused ones included, before it is answered: the audit log records
 * console sign-ins here. A rejection fails the attempt (500), so nothing signs in unrecorded.
 */
export type SignInListener = (outcome: SignInOutcome, request: Request) => void | Promise<void>;

export interface ConsoleSignInRoutesOptions {
  readonly authenticator: Pick<ApiKeyAuthenticator, 'authenticate'>;
  readonly onSignIn?: SignInListener;
}

/** Admin wins over support: a key with both manages the account. */
export function consoleRole(permissions: readonly Permission[]): ConsoleRole | undefined {
  if (permissions.includes('admin')) return 'admin';
  if (permissions.includes('support')) return 'support';
  return undefined;
}

async function signInOutcome(
  authenticator: ConsoleSignInRoutesOptions['authenticator'],
  authorization: string | undefined,
): Promise<SignInOutcome> {
  let principal: Principal;
  try {
    principal = await authenticator.authenticate(authorization);
  } catch (error) {
    if (isDomainError(error) && error.code === 'unauthenticated') {
      return { result: 'refused', reason: 'unknown_key', principal: null };
    }
    throw error;
  }
  const role = consoleRole(principal.permissions);
  return role
    ? { result: 'succeeded', principal, role }
    : { result: 'refused', reason: 'no_console_permission', principal };
}

/**
 * `POST /api/v1/console/sign-in` (no body, the key as Bearer): the console's sign-in, answering the
 * role it gets. Mounted before the API's authentication so that refused attempts reach it too.
 */
export function consoleSignInRoutes({ authenticator, onSignIn }: ConsoleSignInRoutesOptions): Router {
  const router = Router();

  router.post('/console/sign-in', async (request, response) => {
    const authorization = request.header('authorization');
    const outcome = await signInOutcome(authenticator, authorization);
    if (outcome.principal) addToLogContext({ accountId: outcome.principal.accountId });
    // The one place every attempt's outcome is known, before any answer is sent.
    await onSignIn?.(outcome, request);

    if (outcome.result === 'refused' && outcome.reason === 'unknown_key') {
      response.setHeader('WWW-Authenticate', bearerChallenge(authorization));
      throw new DomainError('unauthenticated', INVALID_KEY_DETAIL);
    }
    if (outcome.result === 'refused') throw new DomainError('forbidden', NO_CONSOLE_PERMISSION_DETAIL);
    const { principal, role } = outcome;
    response.json({
      account_id: principal.accountId,
      api_key: { id: principal.apiKeyId, name: principal.apiKeyName },
      permissions: [...principal.permissions],
      role,
    } satisfies ConsoleSignIn);
  });

  return router;
}

import { createHash, timingSafeEqual } from 'node:crypto';
import { DomainError, isDomainError } from '@telenexus/core';
import type { RequestHandler } from 'express';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { isOperator } from '../auth/operator-principal';

export interface DashboardCredentials {
  readonly username: string;
  readonly password: string;
}

export interface DashboardAuthOptions {
  readonly authenticator: ApiKeyAuthenticator;
  /** Operator credentials from configuration, if any. */
  readonly credentials?: DashboardCredentials;
  /** The operator's own account: its admin keys may sign in too. Tenants' keys never may. */
  readonly operatorAccountId?: string;
}

const REALM = 'Basic realm="Telenexus queues", charset="UTF-8"';

function same(a: string, b: string): boolean {
  const digest = (text: string): Buffer => createHash('sha256').update(text).digest();
  return timingSafeEqual(digest(a), digest(b));
}

function basicCredentials(header: string | undefined): DashboardCredentials | undefined {
  const encoded = header ? /^Basic[ \t]+(\S+)$/i.exec(header)?.[1] : undefined;
  if (!encoded) return undefined;
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  return colon < 0 ? undefined : { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

/**
 * Guards the queue dashboard, which shows every account's jobs and so is for the operator alone:
 * the browser's login prompt (HTTP Basic) takes the operator credentials from configuration or, as
 * the password with any user name, an admin key of the operator's own account
 * (`OPERATOR_ACCOUNT_ID`); tools may send that key as a Bearer token. Customers' admin
 * keys are refused.
 */
export function dashboardAuth(options: DashboardAuthOptions): RequestHandler {
  return async (request, response, next) => {
    const header = request.header('authorization');
    const basic = basicCredentials(header);
    if (
      basic &&
      options.credentials &&
      same(basic.username, options.credentials.username) &&
      same(basic.password, options.credentials.password)
    ) {
      next();
      return;
    }
    if (options.operatorAccountId) {
      const apiKey = basic ? `Bearer ${basic.password}` : header;
      try {
        const principal = await options.authenticator.authenticate(apiKey);
        if (isOperator(principal, options.operatorAccountId)) {
          next();
          return;
        }
      } catch (error) {
        if (!isDomainError(error)) throw error;
      }
    }
    // The browser's login prompt, not the API's Bearer challenge; the body is the API's problem.
    response.setHeader('WWW-Authenticate', REALM);
    throw new DomainError('unauthenticated', "Sign in with the operator's dashboard credentials");
  };
}

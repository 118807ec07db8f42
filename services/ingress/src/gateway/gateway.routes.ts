import type { GatewaySendResponse } from '@telenexus/api-contract';
import { DomainError, isDomainError, type Principal } from '@telenexus/core';
import { Router, type RequestHandler, type Response } from 'express';
import type { ApiKeyAuthenticator } from '../auth/api-key-authenticator';
import { actAs, principalOf, requirePermission } from '../auth/authenticate.middleware';
import { bearerChallenge } from '../auth/bearer-challenge';
import { HttpProblem } from '../http/http-problem';
import { REPLAYED_HEADER } from '../http/idempotency.middleware';
import { validate } from '../http/validate';
import type { ItemResult } from '../notifications/accept-notifications.use-case';
import type { CoalescedSingleSends } from '../notifications/coalesced-single-sends';
import { refusalError } from '../notifications/item-refusal';
import { sendableInstance, type InstanceFinder } from '../notifications/sendable-instance';
import { gatewayBody } from './gateway-body';
import { GATEWAY_TEXT_PARAMS, gatewayParamsSchema } from './gateway-params.schema';

/** The gateway's path under the API's base path. */
export const GATEWAY_SEND_PATH = '/gateway/send';

const ALLOWED = 'GET, POST';

export interface GatewayRoutesOptions {
  readonly authenticator: ApiKeyAuthenticator;
  /** Single sends, accepted in groups per instance (shared with the guide's single send). */
  readonly singleSends: CoalescedSingleSends;
  readonly instances: InstanceFinder;
  /** Run before each send once the key is known: Idempotency-Key handling, then the rate limit. */
  readonly guards: readonly RequestHandler[];
  readonly bodyLimitBytes: number;
}

interface GatewayLocals {
  params?: Record<string, unknown>;
}

/**
 * `GET` and `POST /api/v1/gateway/send`: a text to one number for billing systems that can only
 * fill a URL template and fetch it (phpnuxbill's `wa_url` with `[number]` and `[text]`). The one
 * route whose key may come as a parameter (`token`); it takes only keys with `send_text`, which no
 * other route accepts, and the request logs never hold a raw URL (request-context logs the route's
 * pattern; the logger redacts keys wherever they appear). The message is a `text` message with the
 * same pacing, quiet hours, expiry, admission control, dedupe and events as every other.
 *
 * A POST's body is read before its key is checked, since the key may be in it; the body limit is the
 * single send's.
 */
export function gatewayRoutes(options: GatewayRoutesOptions): Router {
  const router = Router();
  const send: RequestHandler[] = [
    gatewayParams,
    authenticateGatewayKey(options.authenticator),
    requirePermission('send_text'),
    ...options.guards,
    async (_request, response) => {
      const principal = principalOf(response);
      const params = validate(gatewayParamsSchema, paramsOf(response), 'parameters', {
        messageTextFields: GATEWAY_TEXT_PARAMS,
      });
      const instance = await sendableInstance(options.instances, principal, params.instance_id);
      const { result, acceptedAt } = await options.singleSends.accept(principal, instance, {
        message_type: 'text',
        phone_number: params.to,
        text: params.text,
        expires_at: params.expires_at,
        send_at: params.send_at,
        metadata: params.metadata,
      });
      answer(response, result, acceptedAt);
    },
  ];
  router.use(GATEWAY_SEND_PATH, onlyGetAndPost);
  router.get(GATEWAY_SEND_PATH, ...send);
  router.post(GATEWAY_SEND_PATH, gatewayBody(options.bodyLimitBytes), ...send);
  return router;
}

/**
 * Ahead of the routes: HEAD would otherwise run GET's handlers (a link checker or prefetcher must
 * never send a message), and any other method would reach the API's authentication, which answers
 * 401 before a 405 could be.
 */
const onlyGetAndPost: RequestHandler = (request, response, next) => {
  if (request.path !== '/' || request.method === 'GET' || request.method === 'POST') {
    next();
    return;
  }
  if (request.method === 'OPTIONS') {
    response.setHeader('Allow', ALLOWED);
    response.status(204).end();
    return;
  }
  throw new HttpProblem(
    'method_not_allowed',
    `Method ${request.method} is not allowed for ${request.baseUrl}; use GET or POST`,
    { Allow: ALLOWED },
  );
};

/**
 * The request's parameters: the query string, and for a POST its body too (a form or JSON). A
 * parameter given in both is refused rather than one of them picked.
 */
const gatewayParams: RequestHandler = (request, response, next) => {
  const query = request.query as Record<string, unknown>;
  const body: unknown = request.method === 'POST' ? (request.body ?? {}) : {};
  if (typeof body !== 'object' || body === null || Array.isArray(body)) {
    throw new DomainError('validation_failed', 'body: must be an object of parameters', {
      fieldErrors: [{ field: 'body', message: 'must be an object of parameters' }],
    });
  }
  const twice = Object.keys(body).find((name) => Object.hasOwn(query, name));
  if (twice !== undefined) {
    const message = 'is given both in the query string and in the body; send it once';
    throw new DomainError('validation_failed', `${twice}: ${message}`, {
      fieldErrors: [{ field: twice, message }],
    });
  }
  response.locals = Object.assign(response.locals, { params: { ...query, ...body } } satisfies GatewayLocals);
  next();
};

function paramsOf(response: Response): Record<string, unknown> {
  const params = (response.locals as GatewayLocals).params;
  if (!params) throw new Error('Route is missing the gatewayParams step');
  return params;
}

/** The key of the `token` parameter or of the Authorization header: one of them, not both. */
function authenticateGatewayKey(authenticator: ApiKeyAuthenticator): RequestHandler {
  return async (request, response, next) => {
    const authorization = request.header('authorization');
    const token = paramsOf(response).token;
    if (authorization !== undefined && token !== undefined) {
      const message = 'send the API key once: as the token parameter or in the Authorization header';
      throw new DomainError('validation_failed', `token: ${message}`, {
        fieldErrors: [{ field: 'token', message }],
      });
    }
    let principal: Principal;
    try {
      principal =
        authorization !== undefined
          ? await authenticator.authenticate(authorization)
          : await authenticator.authenticateKey(typeof token === 'string' ? token : undefined);
    } catch (error) {
      if (isDomainError(error) && error.code === 'unauthenticated')
        response.setHeader('WWW-Authenticate', bearerChallenge(authorization));
      throw error;
    }
    actAs(response, principal);
    next();
  };
}

function answer(response: Response, result: ItemResult, acceptedAt: Date): void {
  if (!result.success) {
    // The use case names the number `phone_number`, as the guide's body does; here it is `to`.
    throw refusalError(
      result.field === 'phone_number'
        ? { ...result, field: 'to', detail: result.detail.replace(/^phone_number:/, 'to:') }
        : result,
      'parameters',
    );
  }
  if (result.replayed) response.setHeader(REPLAYED_HEADER, 'true');
  const waits = result.scheduledFor !== undefined && result.scheduledFor > acceptedAt;
  response.setHeader('Cache-Control', 'no-store');
  response.status(200).json({
    success: true,
    message_id: result.messageId,
    ...(result.replayed ? { replayed: true } : {}),
    ...(waits ? { scheduled_for: result.scheduledFor.toISOString() } : {}),
  } satisfies GatewaySendResponse);
}

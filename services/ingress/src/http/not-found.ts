import type { RequestHandler, Router } from 'express';
import { allowedMethods, allowsMethod } from './allowed-methods';
import { HttpProblem } from './http-problem';

/**
 * What is left when no route answered: 405 with `Allow` when the path has routes for other methods,
 * otherwise 404 (a route that exists but declined, like a missing console asset, is a 404 too). An
 * OPTIONS that reaches here is answered with the path's `Allow`, as Express answers it elsewhere.
 */
export const routeNotFound: RequestHandler = (request, response) => {
  const allowed = allowedMethods(request.app.router, request.path);
  if (request.method === 'OPTIONS' && allowed.length > 0) {
    response.setHeader('Allow', allowed.join(', '));
    response.status(204).end();
    return;
  }
  if (allowed.length === 0 || allowsMethod(allowed, request.method)) {
    throw new HttpProblem('route_not_found', `No route for ${request.method} ${request.path}`);
  }
  const usable = allowed.filter((method) => method !== 'HEAD' && method !== 'OPTIONS');
  throw new HttpProblem(
    'method_not_allowed',
    `Method ${request.method} is not allowed for ${request.path}; use ${usable.join(', ')}`,
    { Allow: allowed.join(', ') },
  );
};

/**
 * Lets through only requests some route of `router` takes (path and method); the others leave the
 * router at once for {@link routeNotFound}'s 404 or 405, so their bodies are never read. Only routes
 * count: a handler mounted with `use` that answers requests itself is not seen, so is not reached.
 */
export function routedOnly(router: Router): RequestHandler {
  // Walking every route costs more than the rest of a send's routing: the answer is kept per path
  // (routes are all in place before the first request). Bounded: paths carry ids, so it starts over
  // past ROUTED_PATHS_KEPT paths.
  const allowedByPath = new Map<string, readonly string[]>();
  return (request, _response, next) => {
    let allowed = allowedByPath.get(request.path);
    if (!allowed) {
      allowed = allowedMethods(router, request.path);
      if (allowedByPath.size >= ROUTED_PATHS_KEPT) allowedByPath.clear();
      allowedByPath.set(request.path, allowed);
    }
    if (allowsMethod(allowed, request.method)) next();
    else next('router');
  };
}

const ROUTED_PATHS_KEPT = 1_000;

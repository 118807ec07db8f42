import type { RequestHandler } from 'express';

/** Unknown routes answer in the same `{"detail": …}` shape as everything else. */
export const routeNotFound: RequestHandler = (request, response) => {
  response.status(404).json({ detail: `No route for ${request.method} ${request.path}` });
};

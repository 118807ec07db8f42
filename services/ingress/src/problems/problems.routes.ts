import { DomainError } from '@telenexus/core';
import { Router } from 'express';
import { pathParam } from '../http/path-param';
import { isProblemCode, PROBLEM_TYPES } from '../http/problem-types';

/** The table changes only with a release; an hour of caching costs nothing. */
const CACHE_CONTROL = 'public, max-age=3600';

/**
 * `GET /api/problems/:code`, with no key: what one error `code` means (`{code, title, status,
 * description}`), so that every problem's `type` URI leads somewhere. Unknown codes answer 404.
 */
export function problemsRoutes(): Router {
  const router = Router();
  router.get('/api/problems/:code', (request, response) => {
    const code = pathParam(request, 'code');
    if (!isProblemCode(code)) throw new DomainError('not_found', 'Problem type not found');
    const { title, status, description } = PROBLEM_TYPES[code];
    response.setHeader('Cache-Control', CACHE_CONTROL);
    response.json({ code, title, status, description });
  });
  return router;
}

import type { BatchPage } from '@telenexus/api-contract';
import { Router } from 'express';
import Joi from 'joi';
import { principalOf, requireAnyPermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import { toBatchView } from './batch-view';
import type { ListInstanceBatches } from './list-instance-batches.use-case';

/** A few batches per monthly run; a page of 20 covers months, 100 is the most one request reads. */
export const DEFAULT_BATCH_PAGE_SIZE = 20;
export const MAX_BATCH_PAGE_SIZE = 100;

export const listBatchesQuerySchema = Joi.object<{ cursor?: string; limit: number }>({
  cursor: Joi.string().max(200),
  limit: Joi.number().integer().min(1).max(MAX_BATCH_PAGE_SIZE).default(DEFAULT_BATCH_PAGE_SIZE),
});

/** `GET /api/v1/instances/:id/batches`: the instance's recent batches, for admins and support staff. */
export function batchesRoutes(listBatches: ListInstanceBatches): Router {
  const router = Router();

  router.get(
    '/instances/:id/batches',
    requireAnyPermission('admin', 'support'),
    async (request, response) => {
      const query = validate(listBatchesQuerySchema, request.query, 'query');
      const page = await listBatches.execute(principalOf(response), pathParam(request, 'id'), {
        ...(query.cursor === undefined ? {} : { cursor: query.cursor }),
        limit: query.limit,
      });
      response.json({
        data: page.batches.map(toBatchView),
        next_cursor: page.nextCursor,
      } satisfies BatchPage);
    },
  );

  return router;
}

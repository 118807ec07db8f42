import type { InstanceQueue as InstanceQueueView } from '@telenexus/api-contract';
import { Router } from 'express';
import { principalOf, requireAnyPermission } from '../auth/authenticate.middleware';
import { pathParam } from '../http/path-param';
import type { GetInstanceQueue } from './get-instance-queue.use-case';

/** `GET /api/v1/instances/:id/queue`: the per-instance queue view, for admins and support staff. */
export function instanceQueueRoutes(getQueue: GetInstanceQueue): Router {
  const router = Router();

  router.get('/instances/:id/queue', requireAnyPermission('admin', 'support'), async (request, response) => {
    const queue = await getQueue.execute(principalOf(response), pathParam(request, 'id'));
    const { counts, oldestWaiting: oldest } = queue;
    response.json({
      instance_id: queue.instanceId,
      counts: {
        ready: counts.ready,
        scheduled: counts.scheduled,
        held: counts.held,
        in_flight: counts.inFlight,
        failed_last_24h: counts.failedLast24h,
        waiting_for_send_at: counts.waitingForSendAt,
      },
      oldest_waiting: oldest && {
        id: oldest.id,
        invoice_id: oldest.invoiceId,
        message_type: oldest.messageType,
        status: oldest.status,
        waiting_since: oldest.createdAt.toISOString(),
        scheduled_for: oldest.nextAttemptAt?.toISOString() ?? null,
        reason: oldest.reason,
      },
      as_of: queue.asOf.toISOString(),
    } satisfies InstanceQueueView);
  });

  return router;
}

import type { Registry } from 'prom-client';
import { Router } from 'express';
import { readBacklog, type CountedQueue, type InstanceBacklogReader } from './backlog';

/** `GET /metrics` in Prometheus's text format. */
export function metricsRoutes(registry: Registry): Router {
  const router = Router();
  router.get('/metrics', async (_request, response) => {
    response.setHeader('Content-Type', registry.contentType);
    response.send(await registry.metrics());
  });
  return router;
}

/**
 * `GET /backlog`: the backlog as JSON, for autoscalers (KEDA's metrics-api trigger reads `ready`: jobs
 * a worker could run now, not those delayed to a slot, a reconnection or a retry) and for people:
 * `{"total": N, "ready": N, "by_queue": {...}, "by_instance": {...}}`.
 */
export function backlogRoutes(queues: readonly CountedQueue[], byInstance?: InstanceBacklogReader): Router {
  const router = Router();
  router.get('/backlog', async (_request, response) => {
    const backlog = await readBacklog(queues, byInstance);
    response.json({
      total: backlog.total,
      ready: backlog.ready,
      by_queue: backlog.byQueue,
      by_instance: backlog.byInstance,
    });
  });
  return router;
}

import type { Queue } from 'bullmq';
import express, { type Express } from 'express';
import { backlogRoutes, type InstanceBacklogReader } from '@telenexus/observability';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';

export interface OpsAppDependencies {
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  readonly queues: readonly Queue[];
  readonly backlogByInstance: InstanceBacklogReader;
}

/**
 * The dispatcher's ops port: `/healthz` and `/readyz` for probes, and `/backlog` (JSON) for KEDA,
 * which scales dispatchers on it. `/metrics` has a port of its own (main.ts, METRICS_PORT).
 */
export function createOpsApp(deps: OpsAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(deps.readinessChecks));
  app.use(backlogRoutes(deps.queues, deps.backlogByInstance));
  return app;
}

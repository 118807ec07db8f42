import type { Queue } from 'bullmq';
import express, { type Express } from 'express';
import {
  backlogRoutes,
  metricsRoutes,
  type InstanceBacklogReader,
  type Registry,
} from '@telenexus/observability';
import { healthRoutes, type ReadinessCheck } from '@telenexus/runtime';

export interface OpsAppDependencies {
  readonly readinessChecks: Readonly<Record<string, ReadinessCheck>>;
  readonly metrics: Registry;
  readonly queues: readonly Queue[];
  readonly backlogByInstance: InstanceBacklogReader;
}

/**
 * The dispatcher's ops port: `/healthz` and `/readyz` for probes, `/metrics` for Prometheus, and
 * `/backlog` (JSON) for KEDA, which scales dispatchers on it.
 */
export function createOpsApp(deps: OpsAppDependencies): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(healthRoutes(deps.readinessChecks));
  app.use(metricsRoutes(deps.metrics));
  app.use(backlogRoutes(deps.queues, deps.backlogByInstance));
  return app;
}

import express, { type Express } from 'express';
import type { Registry } from 'prom-client';
import { metricsRoutes } from './metrics.routes';

/**
 * The metrics port's whole app: `GET /metrics` and nothing else. It is served apart from the API
 * (and from the dispatcher's ops port), so the public port never exposes it and a NetworkPolicy can
 * admit the monitoring namespace to this port alone.
 */
export function createMetricsApp(registry: Registry): Express {
  const app = express();
  app.disable('x-powered-by');
  app.use(metricsRoutes(registry));
  app.use((_request, response) => {
    response.status(404).type('text/plain').send('Not found: this port serves /metrics only\n');
  });
  return app;
}

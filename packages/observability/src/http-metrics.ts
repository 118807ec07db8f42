import { Counter, Histogram, type Registry } from 'prom-client';
import type { RequestHandler } from 'express';
import { METRIC_PREFIX } from './metrics-registry';

/**
 * Counts requests and their latency by route pattern (`/api/v1/messages/:id`, never the id itself,
 * so the series stay few) and status.
 */
export function httpMetrics(registry: Registry): RequestHandler {
  const requests = new Counter({
    name: `${METRIC_PREFIX}http_requests_total`,
    help: 'HTTP requests answered, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    registers: [registry],
  });
  const duration = new Histogram({
    name: `${METRIC_PREFIX}http_request_duration_seconds`,
    help: 'Time to answer an HTTP request, by method, route pattern and status',
    labelNames: ['method', 'route', 'status'] as const,
    buckets: [0.002, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  return (request, response, next) => {
    const started = process.hrtime.bigint();
    response.on('finish', () => {
      const route = request.route
        ? `${request.baseUrl}${String((request.route as { path: string }).path)}`
        : 'unmatched';
      const labels = { method: request.method, route, status: String(response.statusCode) };
      requests.inc(labels);
      duration.observe(labels, Number(process.hrtime.bigint() - started) / 1e9);
    });
    next();
  };
}

import { collectDefaultMetrics, Registry } from 'prom-client';

/** Every metric name starts with this, so Telenexus series are easy to find next to others. */
export const METRIC_PREFIX = 'telenexus_';

/**
 * A Prometheus registry for one service: Node's own metrics (CPU, memory, event loop lag, GC)
 * plus whatever the service adds, every series labelled with `service` and `version`.
 */
export function createMetricsRegistry(service: string, version: string): Registry {
  const registry = new Registry();
  registry.setDefaultLabels({ service, version });
  collectDefaultMetrics({ register: registry, prefix: METRIC_PREFIX });
  return registry;
}

import { collectDefaultMetrics, Gauge, Registry } from 'prom-client';

/** Our own metric names start with this; Node's default metrics keep their standard names. */
export const METRIC_PREFIX = 'telenexus_';

/**
 * A Prometheus registry for one component (`ingress`, `dispatcher`): Node's default process and
 * runtime metrics under their standard names (`process_*`, `nodejs_*`), so stock dashboards read
 * them, plus `telenexus_build_info{version, component} 1`.
 *
 * No label goes on every series: the version lives on the build-info gauge alone (join on
 * `namespace, pod` to break anything down by it), and none of our label names is one Prometheus or
 * its Operator sets on the target (`service`, `pod`, `namespace`, `job`, `instance`…), which would
 * turn ours into `exported_*`.
 */
export function createMetricsRegistry(component: string, version: string): Registry {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  new Gauge({
    name: `${METRIC_PREFIX}build_info`,
    help: 'Always 1: the version of Telenexus running and which component this process is',
    labelNames: ['version', 'component'] as const,
    registers: [registry],
  }).set({ version, component }, 1);
  return registry;
}

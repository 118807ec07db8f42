import {
  connectionMetrics,
  createMetricsRegistry,
  eventCounter,
  queueMetrics,
  sendMetrics,
  type CountedQueue,
  type EventCounter,
  type InstanceBacklogReader,
  type InstanceConnectionReader,
  type Registry,
  type SendMetrics,
} from '@telenexus/observability';

export interface DispatcherMetricsDependencies {
  readonly version: string;
  readonly queues: readonly CountedQueue[];
  readonly backlogByInstance: InstanceBacklogReader;
  readonly connectionStates: InstanceConnectionReader;
}

/** The dispatcher's registry and the measures its parts record into. */
export interface DispatcherMetrics {
  /** Served at the ops port's /metrics. */
  readonly registry: Registry;
  readonly sending: SendMetrics;
  readonly webhookDeliveries: EventCounter<'outcome'>;
}

/**
 * Everything the dispatcher exports: Node's defaults and build info, sends per instance and
 * outcome, the queue and backlog gauges KEDA can scale on, each instance's connection state, and
 * status webhook POSTs by outcome.
 */
export function createDispatcherMetrics(deps: DispatcherMetricsDependencies): DispatcherMetrics {
  const registry = createMetricsRegistry('dispatcher', deps.version);
  queueMetrics(registry, deps.queues, deps.backlogByInstance);
  connectionMetrics(registry, deps.connectionStates);
  return {
    registry,
    sending: sendMetrics(registry),
    webhookDeliveries: eventCounter(registry, 'webhook_deliveries_total', 'Status webhook POSTs by outcome', [
      'outcome',
    ]),
  };
}

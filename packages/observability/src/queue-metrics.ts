import { Gauge, type Registry } from 'prom-client';
import { readBacklog, type CountedQueue, type InstanceBacklogReader } from './backlog';
import { METRIC_PREFIX } from './metrics-registry';

const COUNTED_STATES = ['waiting', 'delayed', 'active', 'prioritized', 'failed', 'completed'] as const;

/**
 * Queue gauges read from Redis at scrape time: jobs per queue and state, the backlog (waiting +
 * delayed + active + prioritized) and the part of it ready to run (the figure KEDA scales
 * dispatchers on) per queue, and messages still to send per instance.
 */
export function queueMetrics(
  registry: Registry,
  queues: readonly CountedQueue[],
  byInstance?: InstanceBacklogReader,
): void {
  new Gauge({
    name: `${METRIC_PREFIX}queue_jobs`,
    help: 'Jobs in each queue, by state',
    labelNames: ['queue', 'state'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      for (const queue of queues) {
        const counts = await queue.getJobCounts(...COUNTED_STATES);
        for (const state of COUNTED_STATES) this.set({ queue: queue.name, state }, counts[state] ?? 0);
      }
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}queue_backlog`,
    help: 'Work still to do per queue: waiting + delayed + active + prioritized jobs',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const backlog = await readBacklog(queues);
      for (const [queue, counts] of Object.entries(backlog.byQueue)) this.set({ queue }, counts.total);
    },
  });
  new Gauge({
    name: `${METRIC_PREFIX}queue_ready`,
    help: 'Jobs a worker could run now or is running per queue: waiting + active + prioritized (not delayed)',
    labelNames: ['queue'] as const,
    registers: [registry],
    async collect() {
      this.reset();
      const backlog = await readBacklog(queues);
      for (const [queue, counts] of Object.entries(backlog.byQueue)) this.set({ queue }, counts.ready);
    },
  });
  if (byInstance) {
    new Gauge({
      name: `${METRIC_PREFIX}instance_backlog`,
      help: 'Messages still to send (queued or sending) per instance',
      labelNames: ['instance_id'] as const,
      registers: [registry],
      async collect() {
        this.reset();
        for (const [instanceId, count] of Object.entries(await byInstance()))
          this.set({ instance_id: instanceId }, count);
      },
    });
  }
}

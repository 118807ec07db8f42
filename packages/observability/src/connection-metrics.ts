import { Gauge, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry';

/** Every live instance's WhatsApp connection state (from Postgres), by instance id. */
export type InstanceConnectionReader = () => Promise<Readonly<Record<string, string>>>;

/**
 * `telenexus_instance_connection_state{instance_id, state} 1`: one series per instance, for the state
 * it is in now (`open`, `connecting`, `close`, `unknown`).
 *
 * Read from Postgres at scrape time rather than set where the state changes: ingress (Evolution's
 * webhooks), the poller and sends all change it, in any process, so only the table is right in every
 * replica. Every replica therefore reports the same figures; aggregate with `max by (instance_id,
 * state)`. Only the current state gets a series, so there is one series per instance, not four.
 */
export function connectionMetrics(registry: Registry, states: InstanceConnectionReader): void {
  new Gauge({
    name: `${METRIC_PREFIX}instance_connection_state`,
    help: "Always 1: each instance's WhatsApp connection state (open, connecting, close, unknown)",
    labelNames: ['instance_id', 'state'] as const,
    registers: [registry],
    async collect() {
      const current = await states();
      this.reset();
      for (const [instanceId, state] of Object.entries(current))
        this.set({ instance_id: instanceId, state }, 1);
    },
  });
}

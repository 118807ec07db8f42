import { Counter, Histogram, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry';

/** What one send attempt came to, as the dispatcher reports it. */
export type SendOutcomeLabel =
  'sent' | 'failed' | 'retried' | 'ambiguous' | 'skipped' | 'delayed' | 'held' | 'expired';

/** The dispatcher's measures of sending, receipts aside. */
export interface SendMetrics {
  /** An attempt's outcome, under its instance (undefined when the message itself was not found). */
  recordSend(outcome: SendOutcomeLabel, instanceId: string | undefined): void;
  /** How long one Evolution call took, by how it was classified (sent, permanent, transient, ambiguous). */
  recordEvolutionCall(classification: string, seconds: number): void;
  /** How far ahead pacing or quiet hours put a send. */
  recordPacingDelay(seconds: number): void;
}

/**
 * Send attempts per instance and outcome (`telenexus_sends_total{instance_id, outcome}`), Evolution
 * call latency and pacing delay. Only the counter is per instance: one series per instance and
 * outcome seen by this process, where a histogram per instance would be ten buckets each.
 */
export function sendMetrics(registry: Registry): SendMetrics {
  const sends = new Counter({
    name: `${METRIC_PREFIX}sends_total`,
    help: 'Send attempts by instance and outcome (sent, failed, retried, ambiguous, skipped, delayed, expired)',
    labelNames: ['instance_id', 'outcome'] as const,
    registers: [registry],
  });
  const evolutionLatency = new Histogram({
    name: `${METRIC_PREFIX}send_duration_seconds`,
    help: 'Time Evolution took to answer a send, by classification (sent, permanent, transient, ambiguous)',
    labelNames: ['classification'] as const,
    buckets: [0.01, 0.05, 0.1, 0.25, 0.5, 1, 2, 5, 10, 20],
    registers: [registry],
  });
  const pacingDelay = new Histogram({
    name: `${METRIC_PREFIX}pacing_delay_seconds`,
    help: 'How far ahead a send was scheduled by pacing or quiet hours',
    buckets: [1, 5, 15, 60, 300, 900, 3600, 4 * 3600, 12 * 3600, 24 * 3600],
    registers: [registry],
  });
  return {
    recordSend(outcome, instanceId) {
      sends.inc(instanceId === undefined ? { outcome } : { instance_id: instanceId, outcome });
    },
    recordEvolutionCall(classification, seconds) {
      evolutionLatency.observe({ classification }, seconds);
    },
    recordPacingDelay(seconds) {
      pacingDelay.observe(seconds);
    },
  };
}

/** A stand-in that measures nothing (tests and tools that do not export metrics). */
export const NO_SEND_METRICS: SendMetrics = {
  recordSend: () => undefined,
  recordEvolutionCall: () => undefined,
  recordPacingDelay: () => undefined,
};

import { Counter, type Registry } from 'prom-client';
import { METRIC_PREFIX } from './metrics-registry';

/** Counts things that happen by a small set of labels (receipts by status, webhook deliveries by outcome). */
export interface EventCounter<Label extends string> {
  record(labels: Readonly<Record<Label, string>>): void;
}

export function eventCounter<Label extends string>(
  registry: Registry,
  name: string,
  help: string,
  labelNames: readonly Label[],
): EventCounter<Label> {
  const counter = new Counter({ name: `${METRIC_PREFIX}${name}`, help, labelNames, registers: [registry] });
  return { record: (labels) => counter.inc(labels as Partial<Record<Label, string>>) };
}

/** A stand-in that counts nothing. */
export function noEvents<Label extends string>(): EventCounter<Label> {
  return { record: () => undefined };
}

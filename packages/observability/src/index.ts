export * from './backlog';
export * from './connection-metrics';
export * from './event-metrics';
export * from './http-metrics';
export * from './metrics-registry';
export * from './metrics.routes';
export * from './queue-metrics';
export * from './send-metrics';
export type { Registry } from 'prom-client';

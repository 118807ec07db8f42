export * from './job-payloads';
export * from './notification-queue';
export * from './queue-names';
export * from './redis-connections';
export * from './send-job-options';
export * from './pacing/instance-pacer';
export * from './pacing/connection-probe-limiter';
export * from './pacing/instance-slots';

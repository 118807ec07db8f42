export * from './job-payloads';
export * from './notification-queue';
export * from './queue-names';
export * from './redis-connections';
export * from './send-job-options';
export * from './instance-pacer';
export * from './connection-probe-limiter';
export * from './instance-slots';

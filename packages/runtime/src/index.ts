export * from './graceful-shutdown';
export * from './health.routes';
export * from './package-version';
export * from './periodic-task';
export * from './service-node-flags';

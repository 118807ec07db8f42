export * from './graceful-shutdown';
export * from './health.routes';
export * from './http-server';
export * from './package-version';
export * from './periodic-task';
export * from './service-node-flags';

export * from './base-urls';
export * from './common-variables';
export * from './config-error';
export * from './load-config';
export * from './process-environment';
export * from './env-file';
export * from './secrets-key-ring';

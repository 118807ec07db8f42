export * from './account-provisioning';
export * from './api-key-management';
export * from './evolution-webhook-configurator';
export * from './instance-management';
export * from './instance-settings';
export * from './provisioning';

export * from './instance-settings';
export * from './provisioning';

export * from './account-provisioning';
export * from './api-key-management';
export * from './evolution-webhook-configurator';
export * from './instance-connections';
export * from './instance-actor';
export * from './instance-management';
export * from './instance-ownership';
export * from './instance-settings';
export * from './provisioning';
// Keys and instances as every door that manages them (the API, the CLI) shows them.
export { toApiKeyView } from './views/api-key.view';
export { toAuditEventView } from './views/audit-event.view';
export { toInstanceView } from './views/instance.view';
export { toInstanceConnectionView } from './views/instance-connection.view';

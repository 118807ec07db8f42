export { dispatcherVariablesSchema, loadDispatcherConfig, type DispatcherConfig } from './config';
export { ConnectionStatePoller } from './connection/connection-state-poller';
export { SendMessage, type SendResult } from './send/send-message.use-case';
export { OutboxSweeper } from './maintenance/outbox-sweeper';
export { createWorker } from './send/send.worker';
export { createDispatcher, type Dispatcher, type DispatcherDependencies } from './create-dispatcher';
export { runMaintenance, type MaintenanceSchedule } from './maintenance/run-maintenance';
export {
  createWebhookDeliveryWorker,
  type WebhookDeliveryDependencies,
  type WebhookDeliveryRunner,
} from './status-webhooks/create-webhook-delivery-worker';

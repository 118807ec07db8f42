export { dispatcherVariablesSchema, loadDispatcherConfig, type DispatcherConfig } from './config';
export { ConnectionStatePoller } from './connection/connection-state-poller';
export { SendMessage, type SendResult } from './send/send-message.use-case';
export { OutboxSweeper } from './sweeper/outbox-sweeper';
export { createWorker } from './worker';
export {
  createWebhookDeliveryWorker,
  type WebhookDeliveryDependencies,
  type WebhookDeliveryRunner,
} from './webhooks/create-webhook-delivery-worker';

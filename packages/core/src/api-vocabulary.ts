/**
 * The values the public API speaks (permissions, statuses, types, events), from modules without
 * dependencies. The web console bundles this module alone as `@telenexus/core`, so its filters and
 * forms can never miss a value the API gained.
 */
export {
  AUDIT_ACTIONS,
  AUDIT_ACTOR_KINDS,
  AUDIT_OUTCOMES,
  AUDIT_TARGET_TYPES,
  type AuditAction,
  type AuditOutcome,
} from './accounts/audit-event';
export { CONNECTION_STATES, type ConnectionState } from './instances/connection-state';
export { DIRECTIONS, type Direction } from './messages/direction';
export { FAILURE_REASON_CODES, type FailureReasonCode } from './messages/failure-reason';
export { MESSAGE_EVENT_TYPES, type MessageEventType } from './messages/message-event';
export { MESSAGE_STATUSES, type MessageStatus } from './messages/message-status';
export { CANCELABLE_STATUSES, FINAL_STATUSES, PENDING_STATUSES } from './messages/message-lifecycle';
export {
  MESSAGE_TYPES,
  NOTIFICATION_TYPES,
  type MessageType,
  type NotificationType,
} from './messages/message-type';
export { PERMISSIONS, type Permission } from './accounts/permission';
export { QUEUE_WAIT_REASONS, type QueueWaitReason } from './pacing/queue-wait-reason';
export { MAX_METADATA_KEYS, METADATA_KEY } from './messages/message-metadata';
export { MAX_TEXT_MESSAGE_CHARACTERS } from './messages/text-message';
export { WEBHOOK_CIRCUIT_STATES, type WebhookCircuitState } from './status-webhooks/webhook-circuit';
export { WEBHOOK_DELIVERY_STATUSES, type WebhookDeliveryStatus } from './status-webhooks/webhook-endpoint';
export {
  DEFAULT_WEBHOOK_EVENT_TYPES,
  INSTANCE_WEBHOOK_EVENT_TYPES,
  MESSAGE_WEBHOOK_EVENT_TYPES,
  OPT_IN_WEBHOOK_EVENT_TYPES,
  REPLY_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  TEST_WEBHOOK_EVENT_TYPES,
  WEBHOOK_EVENT_TYPES,
  type SubscribableWebhookEventType,
  type WebhookEventType,
} from './status-webhooks/webhook-event-type';

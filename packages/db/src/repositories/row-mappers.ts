import {
  type ConnectionEvent,
  type MessageMetadata,
  type InstanceQrCode,
  isSubscribableWebhookEventType,
  isWebhookEventType,
  type WebhookDelivery,
  type WebhookCircuit,
  type WebhookDeliveryAttempt,
  type WebhookEndpoint,
  isConnectionState,
  isFailureReasonCode,
  isUnconfirmedSendPolicy,
  isMessageStatus,
  isMessageType,
  isPermission,
  type Account,
  type ApiKeyRecord,
  type Instance,
  type Message,
  type MessageEvent,
  type MessageEventType,
} from '@telenexus/core';
import type { SecretBox } from '../secrets/secret-box';

/** A row as pg returns it from a raw query: snake_case columns. */
export type Row = Record<string, unknown>;

function text(row: Row, column: string): string {
  const value = row[column];
  if (typeof value !== 'string') throw new Error(`Column ${column} is not text`);
  return value;
}

function optionalText(row: Row, column: string): string | null {
  const value = row[column];
  return typeof value === 'string' ? value : null;
}

function date(row: Row, column: string): Date {
  const value = row[column];
  if (!(value instanceof Date)) throw new Error(`Column ${column} is not a timestamp`);
  return value;
}

function optionalDate(row: Row, column: string): Date | null {
  const value = row[column];
  return value instanceof Date ? value : null;
}

/** `date` columns are read as `YYYY-MM-DD` text (see the type parser set in data-source). */
function optionalCalendarDate(row: Row, column: string): string | null {
  const value = row[column];
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  return typeof value === 'string' ? value : null;
}

export function toAccount(row: Row): Account {
  const policy = row.unconfirmed_send_policy;
  return {
    id: text(row, 'id'),
    name: text(row, 'name'),
    unconfirmedSendPolicy: isUnconfirmedSendPolicy(policy) ? policy : 'fail',
    createdAt: date(row, 'created_at'),
  };
}

export function toApiKey(row: Row): ApiKeyRecord {
  const permissions = Array.isArray(row.permissions) ? row.permissions.filter(isPermission) : [];
  const hash = row.key_hash;
  if (!Buffer.isBuffer(hash)) throw new Error('Column key_hash is not bytea');
  return {
    id: text(row, 'id'),
    accountId: text(row, 'account_id'),
    name: text(row, 'name'),
    lookupPrefix: text(row, 'lookup_prefix'),
    last4: text(row, 'last4'),
    hash,
    permissions,
    createdAt: date(row, 'created_at'),
    lastUsedAt: optionalDate(row, 'last_used_at'),
    revokedAt: optionalDate(row, 'revoked_at'),
    expiresAt: optionalDate(row, 'expires_at'),
  };
}

/** An instance row, its secrets decrypted. */
/**
 * The instance of a row. Its two secrets are opened only when read: most readers (accepting a
 * notification, listing instances) never use them, and each costs an AES-GCM decryption.
 */
export function toInstance(row: Row, secrets: SecretBox): Instance {
  const state = row.connection_state;
  const instance = {
    id: text(row, 'id'),
    accountId: text(row, 'account_id'),
    name: text(row, 'name'),
    evolutionInstanceName: text(row, 'evolution_instance_name'),
    connectionState: isConnectionState(state) ? state : 'unknown',
    connectionStateAt: optionalDate(row, 'connection_state_at'),
    country: optionalText(row, 'country'),
    timezone: text(row, 'timezone'),
    defaultLanguage: optionalText(row, 'default_language'),
    webhookConfiguredAt: optionalDate(row, 'webhook_configured_at'),
    webhookError: optionalText(row, 'webhook_error'),
    pacingMinGapMs: Number(row.pacing_min_gap_ms ?? 0),
    pacingJitterMs: Number(row.pacing_jitter_ms ?? 0),
    dailyCap: row.daily_cap === null || row.daily_cap === undefined ? null : Number(row.daily_cap),
    quietHours:
      typeof row.quiet_hours_start === 'string' && typeof row.quiet_hours_end === 'string'
        ? { start: row.quiet_hours_start, end: row.quiet_hours_end }
        : null,
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
  return Object.defineProperties(instance, {
    evolutionToken: openedOnRead(() =>
      secrets.openNullable('instances.evolution_token', row.evolution_token),
    ),
    webhookJwtKey: openedOnRead(() => secrets.openNullable('instances.webhook_jwt_key', row.webhook_jwt_key)),
  }) as typeof instance & Pick<Instance, 'evolutionToken' | 'webhookJwtKey'>;
}

/** A read-only, enumerable property computed on first read and kept. */
function openedOnRead<T>(open: () => T): PropertyDescriptor {
  let opened: { value: T } | undefined;
  return {
    enumerable: true,
    get: () => (opened ??= { value: open() }).value,
  };
}

export function toMessage(row: Row): Message {
  const status = row.status;
  const messageType = row.message_type;
  const direction = row.direction;
  if (!isMessageStatus(status)) throw new Error(`Unknown message status ${String(status)}`);
  return {
    id: text(row, 'id'),
    accountId: text(row, 'account_id'),
    instanceId: text(row, 'instance_id'),
    direction: direction === 'incoming' ? 'incoming' : 'outgoing',
    phoneNumber: text(row, 'phone_number'),
    customerName: optionalText(row, 'customer_name'),
    amount: optionalText(row, 'amount'),
    currency: optionalText(row, 'currency'),
    invoiceId: optionalText(row, 'invoice_id'),
    dueDate: optionalCalendarDate(row, 'due_date'),
    messageType: isMessageType(messageType) ? messageType : null,
    body: optionalText(row, 'body'),
    status,
    attempts: Number(row.attempts ?? 0),
    lastError: optionalText(row, 'last_error'),
    reasonCode: isFailureReasonCode(row.reason_code) ? row.reason_code : null,
    heldAt: optionalDate(row, 'held_at'),
    providerMessageId: optionalText(row, 'provider_message_id'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
    sentAt: optionalDate(row, 'sent_at'),
    deliveredAt: optionalDate(row, 'delivered_at'),
    readAt: optionalDate(row, 'read_at'),
    failedAt: optionalDate(row, 'failed_at'),
    expiresAt: optionalDate(row, 'expires_at'),
    sendAt: optionalDate(row, 'send_at'),
    batchId: optionalText(row, 'batch_id'),
    metadata: metadataOf(row.metadata),
  };
}

/** `metadata` as pg parses `jsonb`: an object, or null. */
function metadataOf(value: unknown): MessageMetadata | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as MessageMetadata)
    : null;
}

/** An endpoint row, its signing secret decrypted. */
export function toWebhookEndpoint(row: Row, secrets: SecretBox): WebhookEndpoint {
  return {
    id: text(row, 'id'),
    accountId: text(row, 'account_id'),
    url: text(row, 'url'),
    description: optionalText(row, 'description'),
    secret: secrets.open('webhook_endpoints.secret', text(row, 'secret')),
    previousSecretExpiresAt: optionalDate(row, 'previous_secret_expires_at'),
    events: Array.isArray(row.events) ? row.events.filter(isSubscribableWebhookEventType) : [],
    enabled: row.enabled === true,
    circuit: toWebhookCircuit(row),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
  };
}

/** The breaker columns of a `webhook_endpoints` row. */
export function toWebhookCircuit(row: Row): WebhookCircuit {
  return {
    consecutiveFailures: Number(row.consecutive_failures ?? 0),
    failingSince: optionalDate(row, 'failing_since'),
    nextProbeAt: optionalDate(row, 'next_probe_at'),
    disabledAt: optionalDate(row, 'disabled_at'),
    lastSucceededAt: optionalDate(row, 'last_succeeded_at'),
  };
}

export function toWebhookDelivery(row: Row): WebhookDelivery {
  const eventType = row.event_type;
  const status = row.status;
  if (!isWebhookEventType(eventType)) throw new Error(`Unknown webhook event ${String(eventType)}`);
  return {
    id: text(row, 'id'),
    endpointId: text(row, 'endpoint_id'),
    accountId: text(row, 'account_id'),
    eventId: text(row, 'event_id'),
    eventType,
    messageId: optionalText(row, 'message_id'),
    // A json column arrives parsed; re-serialise to the exact text we sign and send.
    payload: typeof row.payload === 'string' ? row.payload : JSON.stringify(row.payload),
    status: status === 'delivered' || status === 'failed' ? status : 'pending',
    attempts: Number(row.attempts ?? 0),
    nextAttemptAt: date(row, 'next_attempt_at'),
    lastStatusCode:
      row.last_status_code === null || row.last_status_code === undefined
        ? null
        : Number(row.last_status_code),
    lastError: optionalText(row, 'last_error'),
    createdAt: date(row, 'created_at'),
    deliveredAt: optionalDate(row, 'delivered_at'),
    failedAt: optionalDate(row, 'failed_at'),
  };
}

export function toWebhookDeliveryAttempt(row: Row): WebhookDeliveryAttempt {
  return {
    id: String(row.id),
    deliveryId: text(row, 'delivery_id'),
    attemptedAt: date(row, 'attempted_at'),
    durationMs: row.duration_ms === null || row.duration_ms === undefined ? null : Number(row.duration_ms),
    statusCode: row.status_code === null || row.status_code === undefined ? null : Number(row.status_code),
    error: optionalText(row, 'error'),
  };
}

export function toMessageEvent(row: Row): MessageEvent {
  const status = row.status;
  return {
    id: String(row.id),
    messageId: text(row, 'message_id'),
    type: text(row, 'type') as MessageEventType,
    status: isMessageStatus(status) ? status : null,
    detail: optionalText(row, 'detail'),
    createdAt: date(row, 'created_at'),
  };
}

export function toConnectionEvent(row: Row): ConnectionEvent {
  const state = row.state;
  const previous = row.previous_state;
  return {
    state: isConnectionState(state) ? state : 'unknown',
    previousState: isConnectionState(previous) ? previous : 'unknown',
    reason: text(row, 'reason'),
    at: date(row, 'created_at'),
  };
}

export function toInstanceQrCode(row: Row): InstanceQrCode {
  return {
    code: text(row, 'code'),
    image: text(row, 'image'),
    pairingCode: optionalText(row, 'pairing_code'),
    count: Number(row.count ?? 0),
    updatedAt: date(row, 'updated_at'),
  };
}

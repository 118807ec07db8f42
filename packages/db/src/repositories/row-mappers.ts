import {
  isConnectionState,
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
  return { id: text(row, 'id'), name: text(row, 'name'), createdAt: date(row, 'created_at') };
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
  };
}

export function toInstance(row: Row): Instance {
  const state = row.connection_state;
  return {
    id: text(row, 'id'),
    accountId: text(row, 'account_id'),
    name: text(row, 'name'),
    evolutionInstanceName: text(row, 'evolution_instance_name'),
    evolutionToken: optionalText(row, 'evolution_token'),
    connectionState: isConnectionState(state) ? state : 'unknown',
    connectionStateAt: optionalDate(row, 'connection_state_at'),
    country: optionalText(row, 'country'),
    timezone: text(row, 'timezone'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
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
    providerMessageId: optionalText(row, 'provider_message_id'),
    createdAt: date(row, 'created_at'),
    updatedAt: date(row, 'updated_at'),
    sentAt: optionalDate(row, 'sent_at'),
    deliveredAt: optionalDate(row, 'delivered_at'),
    readAt: optionalDate(row, 'read_at'),
    failedAt: optionalDate(row, 'failed_at'),
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

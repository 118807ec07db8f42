import {
  DIRECTIONS,
  FAILURE_REASON_CODES,
  MESSAGE_EVENT_TYPES,
  MESSAGE_STATUSES,
  MESSAGE_TYPES,
} from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import {
  metadataSchema,
  cursorPageSchema,
  cursorParameterSchema,
  optionalTimestampSchema,
  timestampSchema,
  uuidSchema,
} from './common.schema';

/** Why a message failed, for a billing system to act on; null unless it failed. */
export const failureReasonCodeSchema = {
  type: ['string', 'null'],
  enum: [...FAILURE_REASON_CODES, null],
  description:
    'On a `failed` message: `not_on_whatsapp` (correct the number), `rejected` (Evolution or WhatsApp ' +
    'refused the message itself), `gave_up` (every attempt failed for a passing reason), `unconfirmed` ' +
    '(WhatsApp never confirmed the send by the deadline; it may not have arrived), `instance_logged_out` ' +
    '(reconnect the number, then resend). Null otherwise.',
} as const satisfies JSONSchema;

/** A message as the Messages API shows it: snake_case like the guide, amounts as JSON numbers. */
export const messageSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'instance_id',
    'direction',
    'status',
    'message_type',
    'phone_number',
    'customer_name',
    'amount',
    'currency',
    'invoice_id',
    'due_date',
    'text',
    'attempts',
    'last_error',
    'reason_code',
    'provider_message_id',
    'created_at',
    'updated_at',
    'sent_at',
    'delivered_at',
    'read_at',
    'failed_at',
    'send_at',
    'metadata',
  ],
  properties: {
    id: uuidSchema,
    instance_id: uuidSchema,
    direction: {
      type: 'string',
      enum: DIRECTIONS,
      description: '`outgoing`: our notifications; `incoming`: customers’ replies.',
    },
    status: {
      type: 'string',
      enum: MESSAGE_STATUSES,
      description:
        '`queued → sending → sent → delivered → read` (a message with a `send_at` ahead is `scheduled` until ' +
        'then, and queues at that time), or `failed`, `canceled` (superseded by a payment ' +
        'confirmation), `expired` (it could only have gone out after its `expires_at`), `unknown` (the send ' +
        'may or may not have reached WhatsApp; never resent blindly), `received` (incoming).',
    },
    message_type: { type: ['string', 'null'], enum: [...MESSAGE_TYPES, null] },
    phone_number: { type: 'string', description: 'Digits with the country code, as normalised.' },
    customer_name: { type: ['string', 'null'] },
    amount: { type: ['number', 'null'] },
    currency: { type: ['string', 'null'] },
    invoice_id: { type: ['string', 'null'] },
    due_date: { type: ['string', 'null'], format: 'date' },
    text: { type: ['string', 'null'], description: 'The WhatsApp text as sent (or received).' },
    metadata: metadataSchema,
    attempts: { type: 'integer', minimum: 0 },
    last_error: { type: ['string', 'null'] },
    reason_code: failureReasonCodeSchema,
    provider_message_id: {
      type: ['string', 'null'],
      description: "Evolution's `key.id`, which delivery receipts are matched on.",
    },
    created_at: timestampSchema,
    updated_at: timestampSchema,
    sent_at: optionalTimestampSchema,
    delivered_at: optionalTimestampSchema,
    read_at: optionalTimestampSchema,
    failed_at: optionalTimestampSchema,
    send_at: {
      ...optionalTimestampSchema,
      description:
        'The `send_at` it was accepted with: it waited as `scheduled` until then. Null: sent at once.',
    },
  },
} as const satisfies JSONSchema;

/** One step of a message's timeline. */
export const messageEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'status', 'detail', 'created_at'],
  properties: {
    type: { type: 'string', enum: MESSAGE_EVENT_TYPES },
    status: {
      type: ['string', 'null'],
      enum: [...MESSAGE_STATUSES, null],
      description: 'The status the message moved to; null when the event changed nothing.',
    },
    detail: { type: ['string', 'null'] },
    created_at: timestampSchema,
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/messages/{id}`: the message and its whole timeline. */
export const messageWithTimelineSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...messageSchema.required, 'events'],
  properties: {
    ...messageSchema.properties,
    events: { type: 'array', items: messageEventSchema, description: 'Oldest first.' },
  },
} as const satisfies JSONSchema;

/** One page of the Messages tab, newest first. */
export const messagePageSchema = cursorPageSchema(messageSchema);

/** The filters of `GET /api/v1/instances/{id}/messages`, each a query parameter. */
export const messageListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    direction: { type: 'string', enum: DIRECTIONS },
    status: { type: 'string', enum: MESSAGE_STATUSES },
    message_type: { type: 'string', enum: MESSAGE_TYPES },
    reason_code: {
      type: 'string',
      enum: FAILURE_REASON_CODES,
      description: 'Failed messages with this `reason_code`.',
    },
    invoice_id: { type: 'string', minLength: 1, maxLength: 64, description: 'Exact invoice reference.' },
    phone_number: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description: 'Any form (`+254 712…`, `0712…`): normalised like the send endpoint.',
    },
    from: {
      type: 'string',
      minLength: 1,
      description: 'ISO 8601 date (`2026-02-01`, whole days in UTC) or date-time with offset.',
    },
    to: {
      type: 'string',
      minLength: 1,
      description: 'ISO 8601 date (`2026-02-28`, inclusive, whole days in UTC) or date-time with offset.',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: cursorParameterSchema,
  },
} as const satisfies JSONSchema;

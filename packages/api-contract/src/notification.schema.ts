import { MESSAGE_STATUSES, NOTIFICATION_TYPES, type NotificationType } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import {
  metadataSchema,
  optionalTimestampSchema,
  sendAtSchema,
  timestampSchema,
  uuidSchema,
} from './common.schema';

/*
 * The integration guide's endpoint. Every text the guide gives (field descriptions, the message
 * types table) is quoted word for word first; what this implementation adds follows it. A test
 * reads docs/billing-integration-guide.md and checks the quotes are still the guide's.
 */

/** The guide's "Message Types" table, row by row, word for word. */
export const GUIDE_MESSAGE_TYPES: Readonly<
  Record<NotificationType, { readonly description: string; readonly useCase: string }>
> = {
  payment_reminder: { description: 'Friendly reminder of upcoming payment', useCase: 'Send before due date' },
  invoice: { description: 'New invoice notification', useCase: 'When invoice is generated' },
  overdue: { description: 'Payment is now overdue', useCase: 'After due date passes' },
  confirmation: { description: 'Payment received confirmation', useCase: 'After payment processed' },
};

const messageTypesTable = [
  '| Type | Description | Use Case |',
  '|------|-------------|----------|',
  ...NOTIFICATION_TYPES.map(
    (type) =>
      `| \`${type}\` | ${GUIDE_MESSAGE_TYPES[type].description} | ${GUIDE_MESSAGE_TYPES[type].useCase} |`,
  ),
].join('\n');

/** The guide's "Request Body" table: `POST /api/v1/billing/send-notification`'s body. */
export const sendNotificationRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['phone_number', 'customer_name', 'amount', 'currency', 'invoice_id', 'message_type'],
  description:
    'Fields outside this table are refused by name (`due_dat: is not a recognised field`), so typos surface. ' +
    'No text may hold control characters, line breaks, lone surrogates or bidirectional overrides.',
  properties: {
    phone_number: {
      type: 'string',
      minLength: 1,
      maxLength: 32,
      description:
        "Customer's WhatsApp number with country code\n\n" +
        'Spaces, dashes, dots, parentheses and a leading `+` or `00` are removed; a local number with a ' +
        "leading `0` takes the instance's country code. Checked against libphonenumber's full metadata. " +
        'A JSON integer is read as its digits.',
      examples: ['254712345678'],
    },
    customer_name: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: "Customer's full name\n\n1–100 characters, no line breaks.",
      examples: ['John Doe'],
    },
    amount: {
      type: 'number',
      exclusiveMinimum: 0,
      maximum: 1e12,
      description:
        'Bill amount\n\n' +
        'Greater than 0, at most 10¹², no more decimals than the currency allows (KES 2, JPY 0, KWD 3). ' +
        'A numeric string is accepted too. Stored as an exact decimal, never a float.',
      examples: [1500.0],
    },
    currency: {
      type: 'string',
      pattern: '^[A-Za-z]{3}$',
      description: 'Currency code (ISO 4217)\n\nCase-insensitive; answered and stored in capitals.',
      examples: ['KES', 'USD', 'EUR'],
    },
    invoice_id: {
      type: 'string',
      minLength: 1,
      maxLength: 64,
      pattern: '\\S',
      description: 'Invoice/Bill reference number\n\n1–64 characters, not blank; echoed back as sent.',
      examples: ['INV-2026-001'],
    },
    due_date: {
      type: ['string', 'null'],
      description:
        'Payment due date (ISO 8601)\n\n' +
        'A date (`2026-02-15`) or a date-time (its calendar date is used). `null` or `""` mean none: the ' +
        'text then has no Due Date line.',
      examples: ['2026-02-15'],
    },
    message_type: {
      type: 'string',
      enum: NOTIFICATION_TYPES,
      description: `Type of notification\n\n${messageTypesTable}`,
      examples: ['payment_reminder'],
    },
    expires_at: {
      type: ['string', 'null'],
      format: 'date-time',
      description:
        'Not in the guide; optional. An ISO 8601 date-time with offset, in the future: if the message could ' +
        'only go out after it (quiet hours, pacing backlog, retries) it becomes `expired` instead. Default: ' +
        '`payment_reminder` the end of its `due_date` in the instance time zone, or 72 h; `invoice` 168 h; ' +
        '`overdue` 72 h; `confirmation` 48 h.',
    },
    send_at: { ...sendAtSchema, description: `Not in the guide; optional. ${sendAtSchema.description}` },
    metadata: { ...metadataSchema, description: `Not in the guide; optional. ${metadataSchema.description}` },
    language: {
      type: ['string', 'null'],
      maxLength: 35,
      description:
        'Not in the guide; optional. A BCP 47 tag (`sw-KE`, `fr`): write the message in the account’s own text ' +
        'of this language (`GET /api/v1/templates`; the same language in another region will do). Absent, or ' +
        "no such text: the instance's `default_language`, else the guide's English text.",
      examples: ['sw'],
    },
  },
} as const satisfies JSONSchema;

/** The guide's "Success (200)" answer. */
export const sendNotificationResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'message_id', 'invoice_id'],
  properties: {
    success: { const: true },
    message_id: { ...uuidSchema, description: 'Follow the message with `GET /api/v1/messages/{id}`.' },
    invoice_id: { type: 'string', description: 'The `invoice_id` of the request, as sent.' },
    scheduled_for: {
      ...timestampSchema,
      description:
        'Not in the guide; added only when the message will wait: when it is estimated to go out, from the ' +
        "instance's pace, its backlog, quiet hours and daily cap, or its `send_at`. An estimate, not a promise. " +
        'Absent: it goes out at once (and on a replayed answer).',
    },
  },
} as const satisfies JSONSchema;

/** Why a notification of a batch was refused. */
export const REFUSAL_CODES = ['validation_failed', 'conflict', 'would_expire'] as const;

/** The most notifications one batch may carry. */
export const MAX_BATCH_NOTIFICATIONS = 1000;

/** A monthly run, posted in batches. */
export const sendNotificationsRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['notifications'],
  properties: {
    notifications: {
      type: 'array',
      minItems: 1,
      maxItems: MAX_BATCH_NOTIFICATIONS,
      items: sendNotificationRequestSchema,
      description:
        'Up to 1,000 notifications, each the single-send body. Each is accepted or refused on its own: an ' +
        'invalid one is answered in `results`, it does not refuse the batch. More than 1,000 answer 413.',
    },
  },
} as const satisfies JSONSchema;

const acceptedItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['index', 'success', 'message_id', 'invoice_id'],
  properties: {
    index: { type: 'integer', minimum: 0, description: 'The position of the notification in the request.' },
    success: { const: true },
    message_id: uuidSchema,
    invoice_id: { type: 'string' },
    replayed: {
      const: true,
      description: 'Present when this notification was already accepted: `message_id` is the original one.',
    },
    scheduled_for: {
      ...timestampSchema,
      description:
        "When the message stored now is estimated to go out, from the instance's pace, its backlog, quiet " +
        'hours and daily cap: an estimate, not a promise. Absent on replays and on superseded messages.',
    },
    superseded_by: {
      ...uuidSchema,
      description:
        'A `confirmation` for the same invoice in this request paid it: the message is stored `canceled` ' +
        'and never sent. This is the confirmation’s `message_id`.',
    },
  },
} as const satisfies JSONSchema;

const refusedItemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['index', 'success', 'code', 'detail'],
  properties: {
    index: { type: 'integer', minimum: 0 },
    success: { const: false },
    code: {
      type: 'string',
      enum: REFUSAL_CODES,
      description:
        '`validation_failed`: a field is wrong; `conflict`: accepted before with other details; ' +
        '`would_expire`: the instance could only send it after its `expires_at`.',
    },
    detail: { type: 'string', description: 'Why, naming the field at fault (`phone_number: …`).' },
    message_id: {
      ...uuidSchema,
      description: 'On a dedupe conflict: the message already accepted for this notification.',
    },
  },
} as const satisfies JSONSchema;

/** The answer to a batch: one result per notification, in the order sent. */
export const sendNotificationsResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'batch_id', 'accepted', 'rejected', 'estimated_finish_at', 'results'],
  properties: {
    success: { const: true },
    batch_id: {
      type: ['string', 'null'],
      format: 'uuid',
      description:
        'Read the batch later with `GET /api/v1/billing/batches/{id}`; null when no notification of the batch was valid.',
    },
    accepted: { type: 'integer', minimum: 0 },
    rejected: { type: 'integer', minimum: 0 },
    estimated_finish_at: {
      ...optionalTimestampSchema,
      description:
        'When the last message this batch stored is estimated to go out (the latest `scheduled_for`): an ' +
        'estimate, not a promise. Null when it stored none that will be sent.',
    },
    results: {
      type: 'array',
      items: { oneOf: [acceptedItemSchema, refusedItemSchema] },
      description: 'One result per notification, in the order sent.',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/billing/batches/{id}`. */
export const batchSummarySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'instance_id', 'item_count', 'accepted', 'rejected', 'by_status', 'created_at'],
  properties: {
    id: uuidSchema,
    instance_id: uuidSchema,
    item_count: { type: 'integer', minimum: 0 },
    accepted: { type: 'integer', minimum: 0 },
    rejected: { type: 'integer', minimum: 0 },
    by_status: {
      type: 'object',
      propertyNames: { enum: MESSAGE_STATUSES },
      additionalProperties: { type: 'integer', minimum: 0 },
      description: "How many of the batch's messages are in each status now.",
    },
    created_at: timestampSchema,
  },
} as const satisfies JSONSchema;

import { NOTIFICATION_TYPES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { sendNotificationRequestSchema } from './notification.schema';

const notification = sendNotificationRequestSchema.properties;

/** The values the four texts are rendered with: the guide's sample unless the query overrides them. */
export const templateSampleSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['customer_name', 'amount', 'currency', 'invoice_id', 'due_date'],
  properties: {
    customer_name: { type: 'string' },
    amount: { type: 'number' },
    currency: { type: 'string' },
    invoice_id: { type: 'string' },
    due_date: {
      type: ['string', 'null'],
      format: 'date',
      description: 'null: the texts have no Due Date line.',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/templates/preview`: the four WhatsApp texts as they would be sent. */
export const templatePreviewsSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data', 'sample'],
  properties: {
    data: {
      type: 'array',
      description: "One text per message type, in the guide's order.",
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['message_type', 'text'],
        properties: {
          message_type: { type: 'string', enum: NOTIFICATION_TYPES },
          text: { type: 'string' },
        },
      },
    },
    sample: templateSampleSchema,
  },
} as const satisfies JSONSchema;

/** The preview's query: each value is checked exactly as the send endpoint checks it. */
export const templatePreviewQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    customer_name: notification.customer_name,
    amount: notification.amount,
    currency: notification.currency,
    invoice_id: notification.invoice_id,
    due_date: {
      type: 'string',
      description: 'An ISO 8601 date; empty previews the texts without their Due Date line.',
    },
  },
} as const satisfies JSONSchema;

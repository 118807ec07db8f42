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

/** `POST /api/v1/templates/preview`: an account template, checked and rendered before it is saved. */
export const templateDraftPreviewRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: {
    text: {
      type: 'string',
      minLength: 1,
      maxLength: 8192,
      description:
        'A Mustache template with HTML escaping off: `{{customer_name}}`, `{{amount}}`, `{{invoice_id}}`, ' +
        '`{{due_date}}`, `{{company_name}}`, `{{payment_instructions}}`, and `{{#due_date}}…{{/due_date}}` for ' +
        'what is said only when there is a due date. Anything else answers 400 naming it.',
    },
    language: {
      type: 'string',
      description:
        'A BCP 47 tag (`sw-KE`, `fr`): amounts and dates are written as this language writes them. Default `en`.',
    },
    company_name: { type: 'string', maxLength: 100, description: 'Your company, for `{{company_name}}`.' },
    payment_instructions: {
      type: 'string',
      maxLength: 500,
      description: 'How to pay (`Paybill 247247, account = invoice`), for `{{payment_instructions}}`.',
    },
    sample: {
      type: 'object',
      additionalProperties: false,
      description: "The notification to render it for; the guide's sample where a value is left out.",
      properties: {
        customer_name: notification.customer_name,
        amount: notification.amount,
        currency: notification.currency,
        invoice_id: notification.invoice_id,
        due_date: notification.due_date,
      },
    },
  },
} as const satisfies JSONSchema;

/** The template as it would be sent: with the sample's due date, and without one. */
export const templateDraftPreviewSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['language', 'text', 'text_without_due_date'],
  properties: {
    language: { type: 'string', description: 'The language tag, canonical.' },
    text: { type: 'string' },
    text_without_due_date: { type: 'string', description: 'As a notification without a due date gets it.' },
  },
} as const satisfies JSONSchema;

/** One saved text of the account. */
export const savedTemplateSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['message_type', 'language', 'instance_id', 'text', 'updated_at'],
  properties: {
    message_type: { type: 'string', enum: NOTIFICATION_TYPES },
    language: { type: 'string', description: 'BCP 47, canonical (`sw-KE`).' },
    instance_id: {
      type: ['string', 'null'],
      format: 'uuid',
      description: "null: the account's text; else this instance's own, used for it instead.",
    },
    text: { type: 'string', description: 'The Mustache template as saved.' },
    updated_at: { type: 'string', format: 'date-time' },
  },
} as const satisfies JSONSchema;

/** `GET`/`PATCH /api/v1/templates`: how the account words its notifications. */
export const accountWordingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['company_name', 'payment_instructions', 'data'],
  properties: {
    company_name: { type: 'string', description: 'What `{{company_name}}` says; empty until set.' },
    payment_instructions: {
      type: 'string',
      description: 'What `{{payment_instructions}}` says; empty until set.',
    },
    data: {
      type: 'array',
      description:
        'The saved texts, by message type and language. A notification gets the text in its `language`, ' +
        "else in its instance's `default_language` (the same tag, else the same language in another region), " +
        'the instance’s own before the account’s; with none of these it gets the built-in English text.',
      items: savedTemplateSchema,
    },
  },
} as const satisfies JSONSchema;

/** `PATCH /api/v1/templates`: the account fields the texts may name. */
export const accountWordingFieldsRequestSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    company_name: templateDraftPreviewRequestSchema.properties.company_name,
    payment_instructions: templateDraftPreviewRequestSchema.properties.payment_instructions,
  },
} as const satisfies JSONSchema;

/** `PUT /api/v1/templates/{message_type}/{language}`. */
export const saveTemplateRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['text'],
  properties: { text: templateDraftPreviewRequestSchema.properties.text },
} as const satisfies JSONSchema;

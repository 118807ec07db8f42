import { MAX_TEXT_MESSAGE_CHARACTERS } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { metadataSchema, sendAtSchema, timestampSchema, uuidSchema } from './common.schema';

/*
 * The URL gateway, `GET` or `POST /api/v1/gateway/send`: for billing systems that can only fill a
 * URL template and fetch it (phpnuxbill's `wa_url`), so its key may come as the `token` parameter.
 */

/** Its parameters: a query string, a form, or a JSON body with the same names. */
export const gatewaySendRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instance_id'],
  description:
    'Give the number as `to`, `number` or `phone`, and the text as `text` or `message` (one name each). ' +
    'Other parameters are refused by name.',
  properties: {
    instance_id: { ...uuidSchema, description: 'The WhatsApp number (instance) to send from.' },
    to: {
      type: 'string',
      maxLength: 32,
      description:
        "The customer's number, as for `phone_number`: with its country code, or a local number (leading 0) " +
        'in the instance country. Aliases: `number`, `phone`.',
    },
    number: { type: 'string', maxLength: 32, description: 'Alias of `to`.' },
    phone: { type: 'string', maxLength: 32, description: 'Alias of `to`.' },
    text: {
      type: 'string',
      minLength: 1,
      description:
        `The message, sent exactly as given: 1–${MAX_TEXT_MESSAGE_CHARACTERS} characters; line breaks and tabs ` +
        'are kept (`\\r\\n` becomes `\\n`), other control characters and direction overrides are refused. The ' +
        'same text to the same number from the same instance within the dedupe window is one message. ' +
        'Alias: `message`.',
    },
    message: { type: 'string', minLength: 1, description: 'Alias of `text`.' },
    token: {
      type: 'string',
      description:
        'An API key with the `send_text` permission, for clients that cannot send an Authorization header. ' +
        'Such a key opens no other route. Or send it as `Authorization: Bearer <key>`.',
    },
    expires_at: {
      type: 'string',
      format: 'date-time',
      description:
        'Optional. An ISO 8601 date-time with offset, in the future, after which the message is `expired` ' +
        'rather than sent late. Default: 24 h after acceptance (or after `send_at`).',
    },
    send_at: {
      ...sendAtSchema,
      type: 'string',
      description: `Optional. ${sendAtSchema.description}`,
    },
    metadata: {
      anyOf: [metadataSchema, { type: 'string' }],
      description:
        'Optional: your own references, as for `metadata` of a notification (at most 20 flat keys, 1 KB). In a ' +
        'query string or form, as JSON text: `metadata={"customer_ref":"C-1042"}`.',
    },
  },
} as const satisfies JSONSchema;

/** Its answer: the message it became. */
export const gatewaySendResponseSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['success', 'message_id'],
  properties: {
    success: { const: true },
    message_id: { ...uuidSchema, description: 'Follow the message with `GET /api/v1/messages/{id}`.' },
    replayed: {
      const: true,
      description:
        'Present when the same text to the same number was already accepted within the dedupe window: ' +
        '`message_id` is that message, and nothing new is sent.',
    },
    scheduled_for: {
      ...timestampSchema,
      description:
        "Added only when the message will wait: when it is estimated to go out, from the instance's pace, " +
        'backlog, quiet hours and daily cap.',
    },
  },
} as const satisfies JSONSchema;

import { MESSAGE_TYPES, REPLY_WEBHOOK_EVENT_TYPES, TEST_WEBHOOK_EVENT_TYPES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { metadataSchema, timestampSchema, uuidSchema } from './common.schema';

const eventIdSchema = {
  ...uuidSchema,
  description:
    'The same for every endpoint, every retry and every replay (the `webhook-id` header): dedupe on it.',
} as const satisfies JSONSchema;

/**
 * The envelope every webhook body shares: the event's id, its type (one of `types`), when it happened,
 * and the event's own `data`. The `const` type parameters keep both literal, so the wire type derived
 * from an event schema names its exact types and data.
 */
export function webhookEventEnvelopeSchema<
  const Types extends readonly string[],
  const Data extends JSONSchema,
>(types: Types, data: Data) {
  const event = {
    type: 'object',
    additionalProperties: false,
    required: ['id', 'type', 'created_at', 'data'],
    properties: {
      id: eventIdSchema,
      type: { type: 'string', enum: types },
      created_at: timestampSchema,
      data,
    },
  } as const;
  // Checked apart from the literal: `satisfies` on the literal itself would widen `data` to JSONSchema.
  return event satisfies JSONSchema;
}

/**
 * The body of `message.received`: a customer's message to the instance's number, with the outgoing
 * message it most likely answers, so a billing system can route "I paid yesterday" to its invoice.
 */
export const replyWebhookEventSchema = webhookEventEnvelopeSchema(REPLY_WEBHOOK_EVENT_TYPES, {
  type: 'object',
  additionalProperties: false,
  required: [
    'message_id',
    'instance_id',
    'instance_name',
    'phone_number',
    'customer_name',
    'text',
    'provider_message_id',
    'received_at',
    'in_reply_to',
  ],
  properties: {
    message_id: { ...uuidSchema, description: 'The incoming message in the Messages API.' },
    instance_id: uuidSchema,
    instance_name: { type: 'string', description: 'The instance’s name in Telenexus.' },
    phone_number: { type: 'string', description: 'Who wrote: the customer’s number, digits only.' },
    customer_name: {
      type: ['string', 'null'],
      description: 'The name the customer set in WhatsApp, if WhatsApp gave it.',
    },
    text: {
      type: ['string', 'null'],
      description: 'The message’s text; null for kinds without text (a sticker, a voice note).',
    },
    provider_message_id: { type: 'string', description: 'WhatsApp’s id of the message.' },
    received_at: timestampSchema,
    in_reply_to: {
      description:
        'The newest message sent to this number from this instance (what the customer most likely ' +
        'answers); null when none was sent.',
      anyOf: [
        { type: 'null' },
        {
          type: 'object',
          additionalProperties: false,
          required: ['message_id', 'invoice_id', 'message_type', 'sent_at', 'metadata'],
          properties: {
            message_id: uuidSchema,
            invoice_id: { type: ['string', 'null'] },
            message_type: { type: ['string', 'null'], enum: [...MESSAGE_TYPES, null] },
            sent_at: timestampSchema,
            metadata: metadataSchema,
          },
        },
      ],
    },
  },
});

/** The body of `endpoint.test`, sent on request (`POST /webhook-endpoints/{id}/test`) and nothing else. */
export const testWebhookEventSchema = webhookEventEnvelopeSchema(TEST_WEBHOOK_EVENT_TYPES, {
  type: 'object',
  additionalProperties: false,
  required: ['endpoint_id', 'url', 'message'],
  properties: {
    endpoint_id: uuidSchema,
    url: { type: 'string', description: 'The endpoint’s URL, as registered.' },
    message: { type: 'string', description: 'Words for a person reading the receiver’s log.' },
  },
});

/** `POST /api/v1/webhook-endpoints/{id}/test` (200): the dispatcher's first POST of the test event. */
export const webhookEndpointTestResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['delivery_id', 'event_id', 'delivered', 'status_code', 'duration_ms', 'error', 'attempted_at'],
  properties: {
    delivery_id: { ...uuidSchema, description: 'In the endpoint’s deliveries log.' },
    event_id: uuidSchema,
    delivered: { type: 'boolean', description: 'true when the receiver answered 2xx.' },
    status_code: {
      type: ['integer', 'null'],
      description: 'The receiver’s answer; null when none came (see `error`).',
    },
    duration_ms: { type: ['integer', 'null'] },
    error: {
      type: ['string', 'null'],
      description: 'Why no answer came (timeout, refused connection, refused address), else null.',
    },
    attempted_at: timestampSchema,
  },
} as const satisfies JSONSchema;

/** `POST /api/v1/webhook-endpoints/{id}/test` (202): no dispatcher POSTed it in time; it stays queued. */
export const webhookEndpointTestQueuedSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['delivery_id', 'event_id', 'detail'],
  properties: {
    delivery_id: uuidSchema,
    event_id: uuidSchema,
    detail: { type: 'string' },
  },
} as const satisfies JSONSchema;

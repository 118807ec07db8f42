import {
  CONNECTION_STATES,
  INSTANCE_WEBHOOK_EVENT_TYPES,
  MESSAGE_STATUSES,
  MESSAGE_TYPES,
  MESSAGE_WEBHOOK_EVENT_TYPES,
  SUBSCRIBABLE_WEBHOOK_EVENT_TYPES,
  WEBHOOK_CIRCUIT_STATES,
  WEBHOOK_DELIVERY_STATUSES,
  WEBHOOK_EVENT_TYPES,
} from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { failureReasonCodeSchema } from './message.schema';
import {
  metadataSchema,
  cursorPageSchema,
  cursorParameterSchema,
  optionalTimestampSchema,
  timestampSchema,
  uuidSchema,
} from './common.schema';
import {
  replyWebhookEventSchema,
  testWebhookEventSchema,
  webhookEventEnvelopeSchema,
} from './webhook-event.schema';

/** The body of every message status webhook Telenexus POSTs to a billing system. */
export const webhookEventSchema = webhookEventEnvelopeSchema(MESSAGE_WEBHOOK_EVENT_TYPES, {
  type: 'object',
  additionalProperties: false,
  required: [
    'message_id',
    'instance_id',
    'invoice_id',
    'message_type',
    'status',
    'phone_number',
    'provider_message_id',
    'attempts',
    'error',
    'reason_code',
    'metadata',
  ],
  properties: {
    message_id: uuidSchema,
    instance_id: uuidSchema,
    invoice_id: { type: ['string', 'null'] },
    message_type: { type: ['string', 'null'], enum: [...MESSAGE_TYPES, null] },
    status: { type: 'string', enum: MESSAGE_STATUSES },
    phone_number: { type: 'string' },
    provider_message_id: { type: ['string', 'null'] },
    attempts: { type: 'integer', minimum: 0 },
    error: { type: ['string', 'null'], description: 'Why, on `message.failed`; null otherwise.' },
    reason_code: failureReasonCodeSchema,
    metadata: metadataSchema,
  },
});

/**
 * The body of the webhook telling a billing system that an instance lost its WhatsApp connection
 * (`instance.disconnected`: nothing is accepted for it until it is back) or got it back
 * (`instance.connected`).
 */
export const instanceWebhookEventSchema = webhookEventEnvelopeSchema(INSTANCE_WEBHOOK_EVENT_TYPES, {
  type: 'object',
  additionalProperties: false,
  required: ['instance_id', 'name', 'evolution_instance_name', 'state', 'previous_state', 'reason', 'at'],
  properties: {
    instance_id: uuidSchema,
    name: { type: 'string', description: 'The instance’s name in Telenexus.' },
    evolution_instance_name: { type: 'string' },
    state: {
      type: 'string',
      enum: ['open', 'close'],
      description: '`close` with `instance.disconnected`, `open` with `instance.connected`.',
    },
    previous_state: { type: 'string', enum: CONNECTION_STATES },
    reason: {
      type: 'string',
      description:
        'Who noticed and how, e.g. `connection.update (statusReason 401: logged out)`, `probed after a ' +
        '"Connection Closed" answer`, `connection poll`.',
    },
    at: { ...timestampSchema, description: 'When the change was recorded.' },
  },
});

const eventsSchema = {
  type: 'array',
  items: { type: 'string', enum: SUBSCRIBABLE_WEBHOOK_EVENT_TYPES },
} as const satisfies JSONSchema;

/** An endpoint's delivery circuit breaker. */
const webhookCircuitSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['state', 'failing_since', 'next_probe_at', 'consecutive_failures', 'disabled_at'],
  description:
    'Fair delivery. `closed`: every event is tried. `open`: after `WEBHOOK_BREAKER_FAILURES` (default 5) ' +
    'failed attempts in a row the deliveries wait, and one probe is made at `next_probe_at` (gaps doubling ' +
    'from 30 s up to 1 h); a successful probe closes it and the waiting deliveries go out at once. ' +
    '`disabled`: still failing `WEBHOOK_DISABLE_AFTER_HOURS` (default 72) after `failing_since`; nothing is ' +
    'attempted and the deliveries wait until an admin sends `PATCH {"enabled": true}`, which resets the ' +
    'breaker. No delivery is given up while the endpoint is open or disabled.',
  properties: {
    state: { type: 'string', enum: WEBHOOK_CIRCUIT_STATES },
    failing_since: {
      ...optionalTimestampSchema,
      description: 'The first failed attempt of the current streak; null once an attempt succeeds.',
    },
    next_probe_at: { ...optionalTimestampSchema, description: 'While `open`: the earliest next probe.' },
    consecutive_failures: { type: 'integer', minimum: 0 },
    disabled_at: { ...optionalTimestampSchema, description: 'When the breaker disabled the endpoint.' },
  },
} as const satisfies JSONSchema;

/** A billing system's endpoint as the API shows it. The secret is added only on creation and rotation. */
export const webhookEndpointSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'url',
    'description',
    'events',
    'enabled',
    'previous_secret_expires_at',
    'circuit',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: uuidSchema,
    url: { type: 'string', format: 'uri' },
    description: { type: ['string', 'null'] },
    events: eventsSchema,
    enabled: { type: 'boolean' },
    previous_secret_expires_at: {
      ...optionalTimestampSchema,
      description:
        'After a rotation, until when the secret it replaced still signs every delivery beside the new one ' +
        '(`WEBHOOK_SECRET_OVERLAP_HOURS`, default 24). Null when only the current secret signs; a time past ' +
        'means the old secret has stopped signing and is about to be erased.',
    },
    circuit: webhookCircuitSchema,
    created_at: timestampSchema,
    updated_at: timestampSchema,
  },
} as const satisfies JSONSchema;

/** The one answer that carries the signing secret: right after creation or rotation. */
export const webhookEndpointWithSecretSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...webhookEndpointSchema.required, 'secret'],
  properties: {
    ...webhookEndpointSchema.properties,
    secret: {
      type: 'string',
      pattern: '^whsec_',
      description:
        'Signs every delivery (Standard Webhooks: `webhook-signature`); `whsec_` + base64, the decoded bytes are ' +
        'the HMAC key. Shown now only: store it.',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/webhook-endpoints`. */
export const webhookEndpointListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: webhookEndpointSchema } },
} as const satisfies JSONSchema;

const urlSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 2048,
  description:
    'HTTPS, without credentials; every address the host resolves to must be public (checked again at each ' +
    'delivery).',
  examples: ['https://billing.example.com/telenexus/webhooks'],
} as const satisfies JSONSchema;

const descriptionSchema = {
  type: ['string', 'null'],
  maxLength: 500,
  description: 'null or empty: none.',
  examples: ['WISPMAN'],
} as const satisfies JSONSchema;

const subscribedEventsSchema = {
  ...eventsSchema,
  minItems: 1,
  uniqueItems: true,
  examples: [['message.delivered', 'message.failed']],
} as const satisfies JSONSchema;

/** `POST /api/v1/webhook-endpoints`. */
export const createWebhookEndpointRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['url'],
  properties: {
    url: urlSchema,
    description: descriptionSchema,
    events: {
      ...subscribedEventsSchema,
      description:
        'Default: every event except `message.queued`, which is opt-in (one more delivery per accepted ' +
        'notification): an endpoint gets it only if it names it here.',
    },
  },
} as const satisfies JSONSchema;

/** `PATCH /api/v1/webhook-endpoints/{id}`: at least one member. */
export const updateWebhookEndpointRequestSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    url: urlSchema,
    description: descriptionSchema,
    events: subscribedEventsSchema,
    enabled: { type: 'boolean', description: 'false gives up the pending deliveries.' },
  },
} as const satisfies JSONSchema;

/** One event on its way to one endpoint. */
export const webhookDeliverySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'endpoint_id',
    'event_id',
    'event_type',
    'message_id',
    'status',
    'attempts',
    'next_attempt_at',
    'last_status_code',
    'last_error',
    'created_at',
    'delivered_at',
    'failed_at',
    'payload',
  ],
  properties: {
    id: uuidSchema,
    endpoint_id: uuidSchema,
    event_id: uuidSchema,
    event_type: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
    message_id: {
      type: ['string', 'null'],
      format: 'uuid',
      description:
        'The message the event is about (for `message.received`, the incoming one); null for `instance.*` and ' +
        '`endpoint.test`.',
    },
    status: { type: 'string', enum: WEBHOOK_DELIVERY_STATUSES },
    attempts: { type: 'integer', minimum: 0 },
    next_attempt_at: { ...optionalTimestampSchema, description: 'null once delivered or given up.' },
    last_status_code: { type: ['integer', 'null'] },
    last_error: { type: ['string', 'null'] },
    created_at: timestampSchema,
    delivered_at: optionalTimestampSchema,
    failed_at: optionalTimestampSchema,
    payload: {
      anyOf: [
        webhookEventSchema,
        instanceWebhookEventSchema,
        replyWebhookEventSchema,
        testWebhookEventSchema,
      ],
    },
  },
} as const satisfies JSONSchema;

/** One POST of a delivery, answered or not. */
export const webhookDeliveryAttemptSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['attempted_at', 'status_code', 'error', 'duration_ms'],
  properties: {
    attempted_at: timestampSchema,
    status_code: { type: ['integer', 'null'], description: "The endpoint's answer; null when none came." },
    error: { type: ['string', 'null'] },
    duration_ms: { type: ['integer', 'null'] },
  },
} as const satisfies JSONSchema;

/** A delivery with every attempt made. */
export const webhookDeliveryWithAttemptsSchema = {
  type: 'object',
  additionalProperties: false,
  required: [...webhookDeliverySchema.required, 'attempts_log'],
  properties: {
    ...webhookDeliverySchema.properties,
    attempts_log: { type: 'array', items: webhookDeliveryAttemptSchema, description: 'Oldest first.' },
  },
} as const satisfies JSONSchema;

/** One page of an endpoint’s deliveries, newest first. */
export const webhookDeliveryPageSchema = cursorPageSchema(webhookDeliverySchema);

/** The filters of `GET /api/v1/webhook-endpoints/{id}/deliveries`, each a query parameter. */
export const webhookDeliveryListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    status: { type: 'string', enum: WEBHOOK_DELIVERY_STATUSES },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: { ...cursorParameterSchema, maxLength: 300 },
  },
} as const satisfies JSONSchema;

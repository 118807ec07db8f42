import { CONNECTION_STATES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { optionalTimestampSchema, timestampSchema, uuidSchema } from './common.schema';

/** How fast an instance sends, so WhatsApp does not ban the number. */
export const pacingSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['min_gap_ms', 'jitter_ms', 'daily_cap'],
  properties: {
    min_gap_ms: {
      type: 'integer',
      description: 'Minimum time between two sends of the instance (default 3000).',
    },
    jitter_ms: { type: 'integer', description: 'A random 0–jitter ms added to every gap (default 2000).' },
    daily_cap: {
      type: ['integer', 'null'],
      description: 'Sends per local day (default 5000); null: no cap. The rest wait for the next day.',
    },
  },
} as const satisfies JSONSchema;

/** A daily window, in the instance's time zone, in which nothing is sent. */
export const quietHoursSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['start', 'end'],
  properties: {
    start: { type: 'string', minLength: 1, description: '`HH:MM`, e.g. `21:00`.' },
    end: { type: 'string', minLength: 1, description: '`HH:MM`, e.g. `07:00`.' },
  },
} as const satisfies JSONSchema;

/** An instance as the Instances page shows it; the Evolution token and webhook secrets never leave. */
export const instanceSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'evolution_instance_name',
    'has_evolution_token',
    'connection_state',
    'connection_state_at',
    'country',
    'timezone',
    'default_language',
    'evolution_webhook',
    'pacing',
    'quiet_hours',
    'created_at',
    'updated_at',
  ],
  properties: {
    id: { ...uuidSchema, description: 'The Instance ID billing systems send as `instance_id`.' },
    name: { type: 'string' },
    evolution_instance_name: { type: 'string' },
    has_evolution_token: { type: 'boolean' },
    connection_state: {
      type: 'string',
      enum: CONNECTION_STATES,
      description: 'The WhatsApp connection as Evolution last reported it; `close` refuses sends (400).',
    },
    connection_state_at: optionalTimestampSchema,
    country: {
      type: ['string', 'null'],
      description: 'ISO 3166 alpha-2; the country code of local phone numbers (`0712…`).',
    },
    timezone: { type: 'string', description: 'IANA time zone of quiet hours, daily caps and due dates.' },
    default_language: {
      type: ['string', 'null'],
      description:
        "BCP 47 language of the account's own texts for notifications that name no `language`; null: " +
        'those get the built-in English texts.',
    },
    evolution_webhook: {
      type: 'object',
      additionalProperties: false,
      required: ['configured_at', 'error'],
      properties: {
        configured_at: optionalTimestampSchema,
        error: { type: ['string', 'null'], description: 'Why Evolution refused the webhook, if it did.' },
      },
    },
    pacing: pacingSchema,
    quiet_hours: { anyOf: [quietHoursSchema, { type: 'null' }] },
    created_at: timestampSchema,
    updated_at: timestampSchema,
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/instances`. */
export const instanceListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: instanceSchema } },
} as const satisfies JSONSchema;

const pacingInputSchema = {
  type: 'object',
  additionalProperties: false,
  properties: pacingSchema.properties,
} as const satisfies JSONSchema;

const settableFields = {
  evolution_token: {
    type: ['string', 'null'],
    maxLength: 500,
    description: "The Evolution instance's own token, if it has one; null or empty: none.",
  },
  country: { type: ['string', 'null'], description: 'ISO 3166 alpha-2, e.g. `KE`; null or empty: none.' },
  pacing: pacingInputSchema,
  quiet_hours: { anyOf: [quietHoursSchema, { type: 'null' }], description: 'null turns them off.' },
  default_language: {
    type: ['string', 'null'],
    maxLength: 35,
    description:
      'BCP 47 tag (`sw-KE`, `fr`), stored in canonical form: the language of the account’s own texts ' +
      'for notifications that name none. null or empty: the built-in English texts.',
    examples: ['sw'],
  },
} as const;

/** `POST /api/v1/instances`. Range checks of pacing and quiet hours are answered as 400s naming the field. */
export const createInstanceRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'evolution_instance_name'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, examples: ['Billing'] },
    evolution_instance_name: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'The instance name in Evolution API; its webhook is pointed at Telenexus.',
      examples: ['billing'],
    },
    ...settableFields,
    evolution_token: {
      ...settableFields.evolution_token,
      description:
        "The Evolution instance's own token (Evolution Manager shows it on the instance; Evolution's " +
        '`POST /instance/create` returns it as `hash`). Required: Telenexus proves the number is yours by ' +
        'calling Evolution with it, and answers 404 when it is not that instance’s token. Only the operator ' +
        "(an admin key of OPERATOR_ACCOUNT_ID) may leave it out, so calls use Evolution's global key.",
    },
    timezone: {
      type: ['string', 'null'],
      description: 'IANA time zone; default from the country, else UTC.',
    },
  },
} as const satisfies JSONSchema;

/** `PATCH /api/v1/instances/{id}`: at least one member. */
export const updateInstanceRequestSchema = {
  type: 'object',
  additionalProperties: false,
  minProperties: 1,
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200 },
    ...settableFields,
    evolution_token: {
      ...settableFields.evolution_token,
      description:
        'A new token of the same Evolution instance, proven with Evolution as on create (404 when it is ' +
        "not that instance's own). null or empty clears it, for the operator only (400 otherwise).",
    },
    timezone: { type: 'string', minLength: 1, description: 'IANA time zone, e.g. `Africa/Nairobi`.' },
  },
} as const satisfies JSONSchema;

/** What the guide's "API Integration" tab shows: everything a billing system needs but the key. */
export const integrationSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['api_endpoint_url', 'instance_id', 'method', 'headers', 'curl_example', 'url_gateway'],
  properties: {
    api_endpoint_url: {
      type: 'string',
      format: 'uri',
      description: 'The send-notification URL with this `instance_id`, built from `PUBLIC_BASE_URL`.',
    },
    instance_id: uuidSchema,
    method: { const: 'POST' },
    headers: {
      type: 'object',
      additionalProperties: false,
      required: ['Content-Type', 'Authorization'],
      properties: {
        'Content-Type': { const: 'application/json' },
        Authorization: { const: 'Bearer YOUR_API_KEY' },
      },
    },
    curl_example: { type: 'string', description: "The guide's cURL example for this instance." },
    url_gateway: {
      type: 'object',
      additionalProperties: false,
      required: ['url_template', 'method', 'key_placeholder', 'permission'],
      description:
        'For billing systems that can only fill a URL template and fetch it (phpnuxbill: paste `url_template` ' +
        'as its WhatsApp server URL, `wa_url`). They put the number where `[number]` stands and the text where ' +
        '`[text]` stands.',
      properties: {
        url_template: {
          type: 'string',
          description:
            '`GET /api/v1/gateway/send` for this instance, with `key_placeholder` where the key goes.',
        },
        method: { const: 'GET' },
        key_placeholder: { type: 'string', description: 'Replace it with a key that has `permission`.' },
        permission: { const: 'send_text' },
      },
    },
  },
} as const satisfies JSONSchema;

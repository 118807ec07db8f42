import { PERMISSIONS } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { optionalTimestampSchema, timestampSchema, uuidSchema } from './common.schema';

const permissionsSchema = {
  type: 'array',
  items: { type: 'string', enum: PERMISSIONS },
  description:
    '`send_message`: the send endpoints and outgoing messages; `receive_message`: incoming messages; ' +
    '`admin`: everything, including keys, instances and webhooks of the account; `support`: signs in to ' +
    'the console read-only (instances, messages, batches, queues), never keys, webhooks or settings.',
} as const satisfies JSONSchema;

/** A key as the API Keys page lists it: never the key itself, only what identifies it. */
export const apiKeySchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'name',
    'prefix',
    'last4',
    'permissions',
    'status',
    'created_at',
    'last_used_at',
    'revoked_at',
    'expires_at',
  ],
  properties: {
    id: uuidSchema,
    name: { type: 'string' },
    prefix: { type: 'string', description: '`tnx_` and the first 8 characters of the key.' },
    last4: { type: 'string', description: 'The last 4 characters of the key.' },
    permissions: permissionsSchema,
    status: { type: 'string', enum: ['active', 'revoked', 'expired'] },
    created_at: timestampSchema,
    last_used_at: optionalTimestampSchema,
    revoked_at: optionalTimestampSchema,
    expires_at: {
      ...optionalTimestampSchema,
      description: 'Set when the key was rotated with a grace period: it stops working then.',
    },
  },
} as const satisfies JSONSchema;

const secretKeySchema = {
  type: 'string',
  pattern: '^tnx_',
  description: 'The API key. Shown in this answer only: store it now.',
} as const satisfies JSONSchema;

/** The answer to creating a key: the only time the key itself is shown. */
export const createdApiKeySchema = {
  type: 'object',
  additionalProperties: false,
  required: [...apiKeySchema.required, 'key'],
  properties: { ...apiKeySchema.properties, key: secretKeySchema },
} as const satisfies JSONSchema;

/** The answer to rotating a key: the new key, shown once, and the id of the key it replaces. */
export const rotatedApiKeySchema = {
  type: 'object',
  additionalProperties: false,
  required: [...createdApiKeySchema.required, 'replaces'],
  properties: {
    ...createdApiKeySchema.properties,
    replaces: { ...uuidSchema, description: 'The id of the rotated key.' },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/api-keys`: every key of the account, revoked ones included. */
export const apiKeyListSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['data'],
  properties: { data: { type: 'array', items: apiKeySchema } },
} as const satisfies JSONSchema;

/** `POST /api/v1/api-keys`. */
export const createApiKeyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['name', 'permissions'],
  properties: {
    name: { type: 'string', minLength: 1, maxLength: 200, examples: ['WISPMAN Integration'] },
    permissions: { ...permissionsSchema, minItems: 1, uniqueItems: true, examples: [['send_message']] },
  },
} as const satisfies JSONSchema;

/** The longest a rotated key may keep working beside its replacement (provisioning's limit). */
const SEVEN_DAYS_SECONDS = 7 * 24 * 3600;

/** `POST /api/v1/api-keys/{id}/rotate`; the body may be left out. */
export const rotateApiKeyRequestSchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    grace_seconds: {
      type: 'integer',
      minimum: 0,
      maximum: SEVEN_DAYS_SECONDS,
      default: 0,
      description: 'How long the old key keeps working; 0 stops it at once.',
    },
  },
} as const satisfies JSONSchema;

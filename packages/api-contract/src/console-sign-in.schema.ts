import { PERMISSIONS } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { uuidSchema } from './common.schema';

/** `POST /api/v1/console/sign-in`: who signed in, and which console they get. */
export const consoleSignInSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['account_id', 'api_key', 'permissions', 'role'],
  properties: {
    account_id: uuidSchema,
    api_key: {
      type: 'object',
      additionalProperties: false,
      required: ['id', 'name'],
      properties: { id: uuidSchema, name: { type: 'string' } },
    },
    permissions: { type: 'array', items: { type: 'string', enum: PERMISSIONS } },
    role: {
      type: 'string',
      enum: ['admin', 'support'],
      description:
        '`admin`: the whole console; `support`: read-only (instances, messages, batches, queues). A key with ' +
        'both permissions is `admin`.',
    },
  },
} as const satisfies JSONSchema;

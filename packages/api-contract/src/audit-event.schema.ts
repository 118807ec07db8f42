import { AUDIT_ACTIONS, AUDIT_ACTOR_KINDS, AUDIT_OUTCOMES, AUDIT_TARGET_TYPES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { cursorPageSchema, cursorParameterSchema, timestampSchema, uuidSchema } from './common.schema';

/** Public settings as they were or became. Open on purpose: each target type has its own fields. */
const settingsSchema = {
  type: ['object', 'null'],
  description:
    'The changed public settings, as the API shows them; fields named like secrets are never kept.',
} as const satisfies JSONSchema;

/** One recorded management action. */
export const auditEventSchema = {
  type: 'object',
  additionalProperties: false,
  required: [
    'id',
    'account_id',
    'occurred_at',
    'action',
    'outcome',
    'actor',
    'client_ip',
    'target',
    'changes',
    'detail',
  ],
  properties: {
    id: uuidSchema,
    account_id: {
      type: ['string', 'null'],
      format: 'uuid',
      description: 'Null only for a refused console sign-in whose key matched no account.',
    },
    occurred_at: timestampSchema,
    action: { type: 'string', enum: AUDIT_ACTIONS },
    outcome: { type: 'string', enum: AUDIT_OUTCOMES },
    actor: {
      type: 'object',
      additionalProperties: false,
      required: ['kind', 'api_key_id', 'api_key_name'],
      properties: {
        kind: {
          type: 'string',
          enum: AUDIT_ACTOR_KINDS,
          description:
            '`api_key`: through the API or console; `cli`: the operator on the command line; `system`: ' +
            'Telenexus itself (the webhook breaker disabling an endpoint).',
        },
        api_key_id: { type: ['string', 'null'], format: 'uuid' },
        api_key_name: {
          type: ['string', 'null'],
          description: "The key's name when it acted; null for the CLI or a key that matched nothing.",
        },
      },
    },
    client_ip: { type: ['string', 'null'] },
    target: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['type', 'id'],
      properties: { type: { type: 'string', enum: AUDIT_TARGET_TYPES }, id: uuidSchema },
    },
    changes: {
      type: ['object', 'null'],
      additionalProperties: false,
      required: ['before', 'after'],
      properties: { before: settingsSchema, after: settingsSchema },
      description: 'Null when no public setting changed (a rotation, a connect, a refusal).',
    },
    detail: {
      type: ['string', 'null'],
      description: 'A short note: why it was refused, what replaced a rotated key.',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/audit-events`: newest first. */
export const auditEventPageSchema = cursorPageSchema(auditEventSchema);

/** The filters of `GET /api/v1/audit-events`, each a query parameter. */
export const auditEventListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    action: {
      type: 'string',
      minLength: 1,
      maxLength: 100,
      description: 'An exact action (`instance.update`), or a prefix ending in a dot (`instance.`).',
    },
    from: {
      type: 'string',
      description:
        'Events at or after: a date (`2026-02-01`, from its start in UTC) or a date-time with offset.',
    },
    to: {
      type: 'string',
      description: 'Events before the end of: a date (the whole day in UTC) or a date-time with offset.',
    },
    limit: { type: 'integer', minimum: 1, maximum: 200, default: 50 },
    cursor: cursorParameterSchema,
  },
} as const satisfies JSONSchema;

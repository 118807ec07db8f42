import type { JSONSchema } from 'json-schema-to-ts';

/** `GET /healthz`: the process is alive. */
export const healthSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status'],
  properties: { status: { const: 'ok' } },
} as const satisfies JSONSchema;

/** `GET /readyz`: whether each dependency answers. */
export const readinessSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['status', 'checks'],
  properties: {
    status: { type: 'string', enum: ['ok', 'unavailable'] },
    checks: {
      type: 'object',
      additionalProperties: { type: 'string', enum: ['ok', 'unavailable'] },
      description: 'Each dependency by name (`postgres`).',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/problems/{code}`: what one error `code` means. */
export const problemTypeSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['code', 'title', 'status', 'description'],
  properties: {
    code: { type: 'string' },
    title: { type: 'string' },
    status: { type: 'integer', minimum: 400, maximum: 599 },
    description: { type: 'string', description: 'When the code is answered, and what to do about it.' },
  },
} as const satisfies JSONSchema;

/** What Evolution's webhook call did, event by event. */
export const evolutionWebhookResultSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['received', 'outcomes'],
  properties: {
    received: { const: true },
    outcomes: {
      type: 'array',
      items: {
        type: 'object',
        additionalProperties: false,
        required: ['event', 'result'],
        properties: {
          event: { type: 'string', description: 'The Evolution event, e.g. `messages.update`.' },
          result: {
            type: 'string',
            enum: ['applied', 'duplicate', 'held', 'ignored'],
            description:
              '`held`: a receipt that beat our record of the send, applied as soon as the send is recorded.',
          },
        },
      },
    },
  },
} as const satisfies JSONSchema;

import { WEBHOOK_EVENT_TYPES } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import { timestampSchema } from './common.schema';

/** The longest window one replay may cover. */
export const MAX_WEBHOOK_REPLAY_DAYS = 30;

/** The most deliveries one replay's window may hold; a busier window is replayed in parts. */
export const MAX_WEBHOOK_REPLAY_DELIVERIES = 10_000;

const instantSchema = {
  type: 'string',
  format: 'date-time',
  description: 'ISO 8601 date-time with its offset (`Z` or `+03:00`).',
} as const satisfies JSONSchema;

/** `POST /api/v1/webhook-endpoints/{id}/replay`. */
export const replayWebhookEventsRequestSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['since'],
  properties: {
    since: {
      ...instantSchema,
      description: `${instantSchema.description} Events addressed to the endpoint from this instant on.`,
      examples: ['2026-02-01T08:00:00+03:00'],
    },
    until: {
      ...instantSchema,
      description:
        `${instantSchema.description} Up to (not including) this instant; default and latest: now. ` +
        `At most ${MAX_WEBHOOK_REPLAY_DAYS} days after \`since\`.`,
      examples: ['2026-02-01T14:30:00+03:00'],
    },
    types: {
      type: 'array',
      items: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
      minItems: 1,
      uniqueItems: true,
      description: 'Only events of these types; default: every type.',
      examples: [['message.delivered', 'message.failed']],
    },
  },
} as const satisfies JSONSchema;

/** The answer to a replay: how many events were queued again, for which window. */
export const webhookReplaySchema = {
  type: 'object',
  additionalProperties: false,
  required: ['replayed', 'since', 'until', 'types'],
  properties: {
    replayed: {
      type: 'integer',
      minimum: 0,
      description:
        'Events queued again as new deliveries (new delivery ids, the original event ids), one per event.',
    },
    since: timestampSchema,
    until: {
      ...timestampSchema,
      description: 'The end of the window as applied (now when later or absent).',
    },
    types: {
      type: ['array', 'null'],
      items: { type: 'string', enum: WEBHOOK_EVENT_TYPES },
      description: 'The types replayed; null: every type.',
    },
  },
} as const satisfies JSONSchema;

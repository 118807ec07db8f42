import { MESSAGE_STATUSES, MESSAGE_TYPES, QUEUE_WAIT_REASONS } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';
import {
  cursorPageSchema,
  cursorParameterSchema,
  optionalTimestampSchema,
  timestampSchema,
  uuidSchema,
} from './common.schema';
import { batchSummarySchema } from './notification.schema';

const count = (description: string) => ({ type: 'integer', minimum: 0, description }) as const;

/** The queued message of an instance that has waited longest, and why it waits. */
export const waitingMessageSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['id', 'invoice_id', 'message_type', 'status', 'waiting_since', 'scheduled_for', 'reason'],
  properties: {
    id: uuidSchema,
    invoice_id: { type: ['string', 'null'] },
    message_type: { type: ['string', 'null'], enum: [...MESSAGE_TYPES, null] },
    status: { type: 'string', enum: MESSAGE_STATUSES },
    waiting_since: { ...timestampSchema, description: 'When it was accepted.' },
    scheduled_for: {
      ...optionalTimestampSchema,
      description:
        'The time set for its next try (a paced slot, the end of quiet hours, a retry, or a recheck while ' +
        'held); null when none is set.',
    },
    reason: {
      type: 'string',
      enum: QUEUE_WAIT_REASONS,
      description:
        '`pacing` (its paced slot or the daily cap is ahead), `quiet_hours`, `disconnected` (held until the ' +
        'number reconnects), `retrying` (after an error), `ready` (due: a worker takes it next).',
    },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/instances/{id}/queue`: one instance's queue, from its messages' statuses. */
export const instanceQueueSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['instance_id', 'counts', 'oldest_waiting', 'as_of'],
  properties: {
    instance_id: uuidSchema,
    counts: {
      type: 'object',
      additionalProperties: false,
      required: ['ready', 'scheduled', 'held', 'in_flight', 'failed_last_24h', 'waiting_for_send_at'],
      properties: {
        ready: count('Queued and due: a worker takes them next.'),
        scheduled: count(
          'Queued with a time set ahead: a paced slot or the daily cap, quiet hours, a retry after an error.',
        ),
        held: count('Queued while the WhatsApp number is disconnected.'),
        in_flight: count(
          'Being sent to Evolution, or sent without an answer and being confirmed (`sending`, `unknown`).',
        ),
        failed_last_24h: count('Failed in the last 24 hours.'),
        waiting_for_send_at: count(
          'Not queued yet: waiting for the `send_at` their billing system asked for (status `scheduled`).',
        ),
      },
    },
    oldest_waiting: { oneOf: [waitingMessageSchema, { type: 'null' }] },
    as_of: { ...timestampSchema, description: 'The moment the counts describe.' },
  },
} as const satisfies JSONSchema;

/** `GET /api/v1/instances/{id}/batches`: an instance's batches, newest first. */
export const batchPageSchema = cursorPageSchema(batchSummarySchema);

/** The query of `GET /api/v1/instances/{id}/batches`. */
export const batchListQuerySchema = {
  type: 'object',
  additionalProperties: false,
  properties: {
    limit: { type: 'integer', minimum: 1, maximum: 100, default: 20 },
    cursor: cursorParameterSchema,
  },
} as const satisfies JSONSchema;

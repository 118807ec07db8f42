import { MAX_METADATA_KEYS, METADATA_KEY } from '@telenexus/core';
import type { JSONSchema } from 'json-schema-to-ts';

/*
 * Building blocks of the wire shapes. Every object schema of this package closes itself with
 * `additionalProperties: false`: the derived types then have no index signature, so a view that
 * adds an undocumented field fails to compile, and a response that carries one fails validation.
 */

/** An id of ours: every row is keyed by a UUID. */
export const uuidSchema = { type: 'string', format: 'uuid' } as const satisfies JSONSchema;

/** An instant, always written by `Date.prototype.toISOString` (UTC, milliseconds). */
export const timestampSchema = { type: 'string', format: 'date-time' } as const satisfies JSONSchema;

/** An instant that has not happened (yet), or does not apply. */
export const optionalTimestampSchema = {
  type: ['string', 'null'],
  format: 'date-time',
} as const satisfies JSONSchema;

/** The position after which the next page starts; null on the last page. */
export const nextCursorSchema = {
  type: ['string', 'null'],
  description: 'Pass it as `cursor` to read the next page; null on the last page.',
} as const satisfies JSONSchema;

/** The `cursor` query parameter of a paged list: the `next_cursor` a page answered with. */
export const cursorParameterSchema = {
  type: 'string',
  minLength: 1,
  maxLength: 200,
  description: '`next_cursor` of the previous page.',
} as const satisfies JSONSchema;

/**
 * One page of a cursor-paged list: the items and where the next page starts. The `const` type
 * parameter keeps the item schema literal, so the wire type derived from the page names the item type.
 */
export function cursorPageSchema<const Items extends JSONSchema>(items: Items) {
  const page = {
    type: 'object',
    additionalProperties: false,
    required: ['data', 'next_cursor'],
    properties: {
      data: { type: 'array', items },
      next_cursor: nextCursorSchema,
    },
  } as const;
  // Checked apart from the literal: `satisfies` on the literal itself would widen `items` to JSONSchema.
  return page satisfies JSONSchema;
}

/** One problem with one input field, named the way the client sent it. */
export const fieldErrorSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['field', 'message'],
  properties: {
    field: {
      type: 'string',
      description: 'The field at fault, as sent (`phone_number`, `pacing.min_gap_ms`, `query`, `body`).',
    },
    message: { type: 'string', description: 'What is wrong with it, in plain English.' },
  },
} as const satisfies JSONSchema;

/**
 * Every error answer (RFC 9457 `application/problem+json`): a stable `code` to key on, the readable
 * `detail`, and the extras some problems carry.
 */
export const problemSchema = {
  type: 'object',
  additionalProperties: false,
  required: ['type', 'title', 'status', 'detail', 'code'],
  properties: {
    type: {
      type: 'string',
      format: 'uri',
      description:
        'Identifies the problem type: `<PUBLIC_BASE_URL>/api/problems/<code>`, a page that explains it.',
    },
    title: { type: 'string', description: 'The problem type in a few words; the same for every occurrence.' },
    status: { type: 'integer', minimum: 400, maximum: 599, description: 'The HTTP status of this answer.' },
    detail: { type: 'string', description: 'What went wrong this time, in words fit to show or log.' },
    code: {
      type: 'string',
      pattern: '^[a-z][a-z0-9_]*$',
      description: 'Stable snake_case code; never renamed, so billing systems may key on it.',
    },
    errors: {
      type: 'array',
      items: fieldErrorSchema,
      description: 'Every field at fault, when fields are at fault; `detail` names the first.',
    },
    error_id: {
      ...uuidSchema,
      description: 'On a 500: the id under which the error is in our logs; quote it to support.',
    },
    message_id: {
      ...uuidSchema,
      description: 'On a dedupe conflict (409): the message already accepted for this notification.',
    },
  },
} as const satisfies JSONSchema;

/** A message's `metadata`: the billing system's own references, flat. */
export const metadataSchema = {
  type: ['object', 'null'],
  maxProperties: MAX_METADATA_KEYS,
  propertyNames: { pattern: METADATA_KEY.source },
  additionalProperties: {
    anyOf: [{ type: 'string' }, { type: 'number' }, { type: 'boolean' }, { type: 'null' }],
  },
  description:
    'Your own references (`{"customer_ref": "C-1042"}`): a flat JSON object of at most 20 keys (1–40 letters, ' +
    'digits, `_`, `.` or `-`) and 1 KB as JSON, values strings, numbers, booleans or null. Stored with the ' +
    'message, returned by the Messages API and in every status event of the message; not part of what makes ' +
    'two sends the same one (a replay answers the first, with its metadata). Null when none was sent.',
} as const satisfies JSONSchema;

/** `send_at` of every send: a message sent later, at the time the billing system asks for. */
export const sendAtSchema = {
  type: ['string', 'null'],
  format: 'date-time',
  description:
    'An ISO 8601 date-time with offset, at most 30 days ahead: the message waits as `scheduled` until then, ' +
    'then queues and follows quiet hours and pacing from that moment. A time already past means now. ' +
    'Cancel it meanwhile with `DELETE /api/v1/messages/{id}`; a payment confirmation of the same invoice ' +
    'supersedes a scheduled reminder as it does a queued one. Without `expires_at`, its default lifetime ' +
    'counts from `send_at`.',
  examples: ['2026-12-02T08:00:00+03:00'],
} as const satisfies JSONSchema;

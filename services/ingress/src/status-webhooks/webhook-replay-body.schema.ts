import { WEBHOOK_EVENT_TYPES, type WebhookEventType } from '@telenexus/core';
import Joi from 'joi';

const INSTANT_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

/** An instant the caller pinned to a zone: without an offset it would mean the server's local time. */
const instant = Joi.string().custom((value: string) => {
  const parsed = INSTANT_WITH_OFFSET.test(value) ? new Date(value) : undefined;
  if (!parsed || Number.isNaN(parsed.getTime())) {
    throw new Error('must be an ISO 8601 date-time with offset, e.g. 2026-02-01T08:00:00+03:00');
  }
  return parsed;
});

/** `POST /webhook-endpoints/:id/replay`; the window's own limits are the use case's. */
export const replayWebhookEventsBodySchema = Joi.object<{
  since: Date;
  until?: Date;
  types?: WebhookEventType[];
}>({
  since: instant.required(),
  until: instant,
  types: Joi.array()
    .items(Joi.string().valid(...WEBHOOK_EVENT_TYPES))
    .min(1)
    .unique()
    .messages({
      'array.min': 'must name at least one event type, or be left out for every type',
      'array.unique': 'must not repeat an event type',
    }),
});

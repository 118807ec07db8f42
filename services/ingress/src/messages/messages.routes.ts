import type { MessagePage, MessageWithTimeline } from '@telenexus/api-contract';
import { DIRECTIONS, FAILURE_REASON_CODES, MESSAGE_STATUSES, MESSAGE_TYPES } from '@telenexus/core';
import { Router } from 'express';
import Joi from 'joi';
import { principalOf, requireAnyPermission } from '../auth/authenticate.middleware';
import { parseTimeBound } from '../http/time-bound';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import type { CancelMessage } from './cancel-message.use-case';
import type { GetMessage } from './get-message.use-case';
import type { ListMessages, MessageListQuery } from './list-messages.use-case';
import { toMessageEventView, toMessageView } from './message-view';

/** Page sizes: small by default for dashboards, bounded so no request reads a whole history. */
export const DEFAULT_PAGE_SIZE = 50;
export const MAX_PAGE_SIZE = 200;

function timeBound(side: 'from' | 'to') {
  return Joi.string().custom((value: string) => {
    const bound = parseTimeBound(value, side);
    if (!bound) throw new Error('must be an ISO 8601 date (2026-02-01) or date-time with offset');
    return bound;
  });
}

export const listMessagesQuerySchema = Joi.object<Record<string, unknown>>({
  direction: Joi.string().valid(...DIRECTIONS),
  status: Joi.string().valid(...MESSAGE_STATUSES),
  message_type: Joi.string().valid(...MESSAGE_TYPES),
  reason_code: Joi.string().valid(...FAILURE_REASON_CODES),
  invoice_id: Joi.string().min(1).max(64),
  phone_number: Joi.string().trim().min(1).max(32),
  from: timeBound('from'),
  to: timeBound('to'),
  cursor: Joi.string().max(200),
  limit: Joi.number().integer().min(1).max(MAX_PAGE_SIZE).default(DEFAULT_PAGE_SIZE),
});

/**
 * `GET /api/v1/instances/:id/messages` (the Messages tab, filtered and paged newest first),
 * `GET /api/v1/messages/:id` (one message with its whole timeline) and `DELETE /api/v1/messages/:id`
 * (take back a message not sent yet).
 */
export function messagesRoutes(
  getMessage: GetMessage,
  listMessages: ListMessages,
  cancelMessage: CancelMessage,
): Router {
  const router = Router();

  router.get('/instances/:id/messages', async (request, response) => {
    const query = validate(listMessagesQuerySchema, request.query, 'query');
    const page = await listMessages.execute(principalOf(response), pathParam(request, 'id'), {
      direction: query.direction,
      status: query.status,
      messageType: query.message_type,
      reasonCode: query.reason_code,
      invoiceId: query.invoice_id,
      phoneNumber: query.phone_number,
      from: query.from,
      to: query.to,
      cursor: query.cursor,
      limit: query.limit,
    } as MessageListQuery);
    response.json({
      data: page.messages.map(toMessageView),
      next_cursor: page.nextCursor,
    } satisfies MessagePage);
  });

  router.get('/messages/:id', async (request, response) => {
    const { message, events } = await getMessage.execute(principalOf(response), pathParam(request, 'id'));
    response.json({
      ...toMessageView(message),
      events: events.map(toMessageEventView),
    } satisfies MessageWithTimeline);
  });

  // The billing system that sent it, or an admin; support staff change nothing.
  router.delete('/messages/:id', requireAnyPermission('send_message', 'admin'), async (request, response) => {
    const { message, events } = await cancelMessage.execute(principalOf(response), pathParam(request, 'id'));
    response.json({
      ...toMessageView(message),
      events: events.map(toMessageEventView),
    } satisfies MessageWithTimeline);
  });

  return router;
}

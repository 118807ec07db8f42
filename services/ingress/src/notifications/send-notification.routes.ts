import type {
  BatchItemResult,
  SendNotificationResponse,
  SendNotificationsResponse,
} from '@telenexus/api-contract';
import { DomainError, isDomainError, type Principal } from '@telenexus/core';
import type { BatchSummary } from '@telenexus/db';
import { Router, type Request, type RequestHandler, type Response } from 'express';
import Joi from 'joi';
import { principalOf, requireAnyPermission, requirePermission } from '../auth/authenticate.middleware';
import { toBatchView } from '../batches/batch-view';
import { REPLAYED_HEADER } from '../http/idempotency.middleware';
import { pathParam } from '../http/path-param';
import { validate } from '../http/validate';
import type { AcceptNotifications, ItemResult, RequestItem } from './accept-notifications.use-case';
import { batchBodySchema, MAX_BATCH_ITEMS } from './batch-body.schema';
import { notificationBodySchema } from './notification-body.schema';
import type { CoalescedSingleSends } from './coalesced-single-sends';
import { refusalError } from './item-refusal';
import { sendableInstance, type InstanceFinder } from './sendable-instance';

export const sendQuerySchema = Joi.object<{ instance_id: string }>({
  instance_id: Joi.string().trim().guid().required(),
}).unknown(true);

export interface BatchReader {
  findBatch(accountId: string, batchId: string): Promise<BatchSummary | null>;
}

export interface SendNotificationRoutesOptions {
  readonly accept: AcceptNotifications;
  /** Single sends, accepted in groups per instance (shared with the URL gateway's sends). */
  readonly singleSends: CoalescedSingleSends;
  readonly instances: InstanceFinder;
  readonly batches: BatchReader;
  /** Run before each send, in order: Idempotency-Key handling, then the rate limit. */
  readonly guards: readonly RequestHandler[];
}

/** What a send request costs against the rate limit: each notification of a batch counts. */
export function notificationCount(request: Request): number {
  const notifications = (request.body as { notifications?: unknown } | undefined)?.notifications;
  return Array.isArray(notifications) ? notifications.length : 1;
}

/** These routes accept only the guide's notifications, whose results always name their invoice. */
function invoiceOf(result: { readonly invoiceId: string | null }): string {
  if (result.invoiceId === null) throw new Error('A notification was answered without its invoice');
  return result.invoiceId;
}

function answerSingle(response: Response, result: ItemResult, acceptedAt: Date): void {
  if (result.success) {
    if (result.replayed) response.setHeader(REPLAYED_HEADER, 'true');
    // The guide's three fields, exactly, for a message that goes out at once; `scheduled_for` is added
    // only when it will wait (a paced backlog, quiet hours, the daily cap).
    const waits = result.scheduledFor !== undefined && result.scheduledFor > acceptedAt;
    response.status(200).json({
      success: true,
      message_id: result.messageId,
      invoice_id: invoiceOf(result),
      ...(waits ? { scheduled_for: result.scheduledFor.toISOString() } : {}),
    } satisfies SendNotificationResponse);
    return;
  }
  throw refusalError(result);
}

function toBatchItem(result: ItemResult): BatchItemResult {
  if (result.success) {
    return {
      index: result.index,
      success: true,
      message_id: result.messageId,
      invoice_id: invoiceOf(result),
      ...(result.replayed ? { replayed: true } : {}),
      ...(result.scheduledFor ? { scheduled_for: result.scheduledFor.toISOString() } : {}),
      ...(result.supersededBy ? { superseded_by: result.supersededBy } : {}),
    };
  }
  return {
    index: result.index,
    success: false,
    code: result.code,
    detail: result.detail,
    ...(result.conflictingMessageId ? { message_id: result.conflictingMessageId } : {}),
  };
}

function validItems(notifications: unknown[]): RequestItem[] {
  return notifications.map((item, index) => {
    try {
      return { index, body: validate(notificationBodySchema, item ?? null, 'body') };
    } catch (error) {
      if (isDomainError(error)) return { index, problem: error.message };
      throw error;
    }
  });
}

/** A UUID as billing systems send it, which {@link sendQuerySchema} would pass unchanged. */
const PLAIN_UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function instanceFor(options: SendNotificationRoutesOptions, principal: Principal, query: unknown) {
  // Every send names its instance: the common form is taken as it is, anything else goes through
  // the schema (and its 400).
  const offered = (query as { instance_id?: unknown } | undefined)?.instance_id;
  const instanceId =
    typeof offered === 'string' && PLAIN_UUID.test(offered)
      ? offered
      : validate(sendQuerySchema, query, 'query').instance_id;
  return sendableInstance(options.instances, principal, instanceId);
}

/** The single send's path under the API's base path. */
export const SINGLE_SEND_PATH = '/billing/send-notification';

/** The send routes, and the single send's own handlers. */
export interface SendNotificationRoutes {
  /** Every send route, for the API router (after its authentication and body parsing). */
  readonly router: Router;
  /**
   * `POST` {@link SINGLE_SEND_PATH}'s handlers after authentication and body parsing (permission,
   * guards, the send): the route billing runs call most, which the app mounts ahead of all others.
   */
  readonly singleSend: readonly RequestHandler[];
}

/**
 * `POST /api/v1/billing/send-notification` exactly as the integration guide has it, its batch
 * sibling `POST /api/v1/billing/send-notifications` (up to 1,000 notifications, each accepted or
 * refused on its own), and `GET /api/v1/billing/batches/:id`.
 */
export function sendNotificationRoutes(options: SendNotificationRoutesOptions): SendNotificationRoutes {
  const router = Router();
  const { singleSends } = options;

  const guards = [requirePermission('send_message'), ...options.guards];

  const singleSend: RequestHandler[] = [
    ...guards,
    async (request, response) => {
      const principal = principalOf(response);
      const instance = await instanceFor(options, principal, request.query);
      const body = validate(notificationBodySchema, request.body ?? null, 'body');
      const { result, acceptedAt } = await singleSends.accept(principal, instance, body);
      answerSingle(response, result, acceptedAt);
    },
  ];
  router.post(SINGLE_SEND_PATH, ...singleSend);

  router.post('/billing/send-notifications', ...guards, async (request, response) => {
    const principal = principalOf(response);
    const instance = await instanceFor(options, principal, request.query);
    const { notifications } = validate(batchBodySchema, request.body ?? null, 'body', { scanContent: false });
    if (notifications.length > MAX_BATCH_ITEMS) {
      throw new DomainError(
        'payload_too_large',
        `notifications: at most ${MAX_BATCH_ITEMS} per batch (got ${notifications.length}); split the run into several batches`,
      );
    }
    const { batchId, results, estimatedFinish } = await options.accept.execute(
      principal,
      instance,
      validItems(notifications),
      true,
    );
    const accepted = results.filter((result) => result.success).length;
    response.status(200).json({
      success: true,
      batch_id: batchId,
      accepted,
      rejected: results.length - accepted,
      estimated_finish_at: estimatedFinish?.toISOString() ?? null,
      results: results.map(toBatchItem),
    } satisfies SendNotificationsResponse);
  });

  // The billing system that sent the batch, and the console's admins and support staff.
  const batchReader = requireAnyPermission('send_message', 'admin', 'support');
  router.get('/billing/batches/:id', batchReader, async (request, response) => {
    const id = pathParam(request, 'id');
    const batch = /^[0-9a-f-]{36}$/i.test(id)
      ? await options.batches.findBatch(principalOf(response).accountId, id)
      : null;
    if (!batch) throw new DomainError('not_found', 'Batch not found');
    response.json(toBatchView(batch));
  });

  return { router, singleSend };
}

import Joi from 'joi';
import { Router } from 'express';
import { principalOf, requirePermission } from '../auth/authenticate.middleware';
import { validate } from '../http/validate';
import { notificationBodySchema } from './notification-body.schema';
import type { SendNotification } from './send-notification.use-case';

const querySchema = Joi.object<{ instance_id: string }>({
  instance_id: Joi.string().trim().guid().required(),
}).unknown(true);

/** `POST /api/v1/billing/send-notification?instance_id=…`, exactly as the integration guide has it. */
export function sendNotificationRoutes(sendNotification: SendNotification): Router {
  const router = Router();
  router.post('/billing/send-notification', requirePermission('send_message'), async (request, response) => {
    const { instance_id: instanceId } = validate(querySchema, request.query, 'query');
    const body = validate(notificationBodySchema, request.body ?? null, 'body');
    const result = await sendNotification.execute(principalOf(response), instanceId, body);
    response.status(200).json(result);
  });
  return router;
}

import { Router } from 'express';
import { principalOf } from '../auth/authenticate.middleware';
import type { GetMessage } from './get-message.use-case';
import { toMessageEventView, toMessageView } from './message-view';

/** `GET /api/v1/messages/:id`: a message's status, attempts, last error, timestamps and timeline. */
export function messagesRoutes(getMessage: GetMessage): Router {
  const router = Router();
  router.get('/messages/:id', async (request, response) => {
    const { message, events } = await getMessage.execute(principalOf(response), request.params.id);
    response.json({ ...toMessageView(message), events: events.map(toMessageEventView) });
  });
  return router;
}

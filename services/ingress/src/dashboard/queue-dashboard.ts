import type { Queue } from 'bullmq';
import { Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  readonly queues: readonly Queue[];
  /** No retrying, promoting, cleaning or removing from the page. */
  readonly readOnly: boolean;
}

/**
 * bull-board over every queue. Job data holds message ids only, so no phone number or text appears
 * here; each job links to its message in the Messages API, where its timeline is.
 *
 * bull-board is loaded on the first visit, not at start-up: most ingress replicas never serve the
 * page, and its modules and board would otherwise sit in every one's memory (see "Where ingress
 * memory goes" in docs/benchmarks.md).
 */
export function queueDashboard(options: QueueDashboardOptions): Router {
  let board: Promise<Router> | undefined;
  const router = Router();
  router.use((request, response, next) => {
    // A failed load is not kept: the next visit tries again.
    board ??= createBoard(options).catch((error: unknown) => {
      board = undefined;
      throw error;
    });
    board.then((handle) => handle(request, response, next)).catch(next);
  });
  return router;
}

async function createBoard(options: QueueDashboardOptions): Promise<Router> {
  const [{ createBullBoard }, { BullMQAdapter }, { ExpressAdapter }] = await Promise.all([
    import('@bull-board/api'),
    import('@bull-board/api/bullMQAdapter'),
    import('@bull-board/express'),
  ]);
  const serverAdapter = new ExpressAdapter();
  serverAdapter.setBasePath(DASHBOARD_PATH);
  createBullBoard({
    queues: options.queues.map(
      (queue) =>
        new BullMQAdapter(queue, {
          readOnlyMode: options.readOnly,
          description: 'One job per outgoing WhatsApp message (data: the message id)',
          externalJobUrl: (job) => {
            const messageId = (job.data as { messageId?: unknown } | undefined)?.messageId;
            return {
              displayText: 'Message',
              href: `/api/v1/messages/${typeof messageId === 'string' ? messageId : String(job.id)}`,
            };
          },
        }),
    ),
    serverAdapter,
    options: { uiConfig: { boardTitle: 'Telenexus queues' } },
  });
  return serverAdapter.getRouter() as Router;
}

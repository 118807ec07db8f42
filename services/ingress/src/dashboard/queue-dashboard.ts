import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import type { Queue } from 'bullmq';
import type { Router } from 'express';

export const DASHBOARD_PATH = '/admin/queues';

export interface QueueDashboardOptions {
  readonly queues: readonly Queue[];
  /** No retrying, promoting, cleaning or removing from the page. */
  readonly readOnly: boolean;
}

/**
 * bull-board over every queue. Job data holds message ids only, so no phone number or text appears
 * here; each job links to its message in the Messages API, where its timeline is.
 */
export function queueDashboard(options: QueueDashboardOptions): Router {
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

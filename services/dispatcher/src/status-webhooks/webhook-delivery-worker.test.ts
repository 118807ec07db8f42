import type { WebhookDelivery } from '@telenexus/core';
import type { ClaimedWebhookDelivery } from '@telenexus/db';
import { createCapturedLogger } from '../../../../test/support/captured-logger';
import { waitFor } from '../../../../test/support/wait-for';
import { WebhookDeliveryWorker, type WebhookDeliveryQueue } from './webhook-delivery-worker';

function claimed(id: string): ClaimedWebhookDelivery {
  return {
    delivery: { id, endpointId: 'endpoint', eventId: `event-${id}`, messageId: null } as WebhookDelivery,
    url: 'https://billing.example.com/hooks',
    secret: 'whsec_test',
  };
}

/** A queue holding `count` due deliveries, handing them out as claimed. */
function queueOf(count: number) {
  const due = Array.from({ length: count }, (_, index) => claimed(`d${index + 1}`));
  const limits: number[] = [];
  const queue: WebhookDeliveryQueue = {
    claimDue: (limit) => {
      limits.push(limit);
      return Promise.resolve(due.splice(0, limit));
    },
  };
  return { queue, limits };
}

/** A deliverer whose POSTs finish only when the test says so. */
function heldDeliverer() {
  const pending = new Map<string, () => void>();
  return {
    pending,
    execute: (delivery: ClaimedWebhookDelivery) =>
      new Promise<void>((resolve) => pending.set(delivery.delivery.id, resolve)),
  };
}

describe('WebhookDeliveryWorker', () => {
  const { logger } = createCapturedLogger();

  it('When more is due than the concurrency allows, then only that many POSTs are in flight at once', async () => {
    const { queue, limits } = queueOf(5);
    const deliverer = heldDeliverer();
    const worker = new WebhookDeliveryWorker(queue, deliverer, logger, {
      concurrency: 2,
      pollIntervalMs: 10,
    });
    worker.start();

    await waitFor(() => deliverer.pending.size === 2, 'two POSTs in flight');
    expect(limits).toEqual([2]);
    deliverer.pending.get('d1')!();
    await waitFor(() => deliverer.pending.has('d3'), 'the freed slot to be used');
    expect(limits).toEqual([2, 1]);
    expect(deliverer.pending.size).toBe(3);

    for (const finish of deliverer.pending.values()) finish();
    await worker.stop();
  });

  it('When it is stopped, then it claims no more and resolves only after the POSTs in flight finish', async () => {
    const { queue, limits } = queueOf(1);
    const deliverer = heldDeliverer();
    const worker = new WebhookDeliveryWorker(queue, deliverer, logger, { pollIntervalMs: 10 });
    worker.start();
    await waitFor(() => deliverer.pending.size === 1, 'the POST in flight');

    let stopped = false;
    const stopping = worker.stop().then(() => (stopped = true));
    await new Promise((resolve) => setImmediate(resolve));
    expect(stopped).toBe(false);
    const claimsBefore = limits.length;

    deliverer.pending.get('d1')!();
    await stopping;
    expect(stopped).toBe(true);
    expect(limits.length).toBe(claimsBefore);
  });

  it('When claiming fails (Postgres away), then it is logged and the worker keeps polling', async () => {
    const captured = createCapturedLogger();
    let calls = 0;
    const queue: WebhookDeliveryQueue = {
      claimDue: () => {
        calls += 1;
        return calls === 1 ? Promise.reject(new Error('connection refused')) : Promise.resolve([]);
      },
    };
    const worker = new WebhookDeliveryWorker(queue, heldDeliverer(), captured.logger, { pollIntervalMs: 5 });
    worker.start();
    await waitFor(() => calls >= 3, 'polling to go on');
    await worker.stop();
    expect(captured.lines().some((line) => line.message === 'could not claim webhook deliveries')).toBe(true);
  });
});

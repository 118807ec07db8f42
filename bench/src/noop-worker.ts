import { Worker } from 'bullmq';
import { bullPrefix, createWorkerConnection, QUEUE_NAMES } from '@telenexus/queue';
import { serveCountedWorker } from './counted-worker';

/*
 * The raw baseline for the dispatcher: a BullMQ worker on the same connection options and
 * concurrency whose processor does nothing (or only waits WORK_MS, standing for Evolution's
 * latency). Reports how many jobs it has completed on the IPC channel every 100 ms.
 */

function main(): void {
  const environment = process.env;
  const workMs = Number(environment.WORK_MS ?? 0);
  const connection = createWorkerConnection(environment.REDIS_URL ?? 'redis://127.0.0.1:6379');
  const worker = new Worker(
    QUEUE_NAMES.notifications,
    workMs > 0 ? () => new Promise((resolve) => setTimeout(resolve, workMs)) : () => Promise.resolve(),
    {
      connection,
      prefix: bullPrefix(environment.QUEUE_PREFIX ?? 'bare'),
      concurrency: Number(environment.CONCURRENCY ?? 10),
    },
  );
  serveCountedWorker(worker, () => connection.quit());
}

main();

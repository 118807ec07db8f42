import type { Worker } from 'bullmq';

/**
 * Runs a baseline worker as the bench drives it: reports how many jobs it has completed on the IPC
 * channel every 100 ms, and on SIGTERM closes the worker, then `closeConnections`, and exits.
 */
export function serveCountedWorker(worker: Worker, closeConnections: () => Promise<unknown>): void {
  let completed = 0;
  worker.on('completed', () => {
    completed += 1;
  });
  worker.on('failed', (_job, error) => process.stderr.write(`job failed: ${error.message}\n`));
  worker.on('error', (error) => process.stderr.write(`worker error: ${error.message}\n`));
  const timer = setInterval(() => process.send?.({ completed }), 100);
  process.once('SIGTERM', () => {
    clearInterval(timer);
    void worker
      .close()
      .then(closeConnections)
      .finally(() => process.exit(0));
  });
}

import { Worker, type Job } from 'bullmq';
import type { BackoffPolicy } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import {
  bullPrefix,
  QUEUE_NAMES,
  SEND_JOB_BACKOFF,
  SEND_JOB_RETENTION,
  type RedisConnection,
  type SendJobData,
} from '@telenexus/queue';
import { sendBackoffStrategy } from '../retries/send-backoff-strategy';
import { sendJobProcessor } from './send-job.processor';
import type { SendMessage, SendResult } from './send-message.use-case';

export interface WorkerDependencies {
  readonly connection: RedisConnection;
  readonly namespace: string;
  readonly concurrency: number;
  readonly backoff: BackoffPolicy;
  readonly sendMessage: SendMessage;
  readonly logger: Logger;
  /** Start processing at once (default) or wait for `worker.run()`. */
  readonly autorun?: boolean;
}

/** The notifications worker, fully wired but for the connection, which the caller owns. */
export function createWorker(deps: WorkerDependencies): Worker<SendJobData, SendResult> {
  const processSend = sendJobProcessor(deps.sendMessage, deps.logger);
  const worker = new Worker<SendJobData, SendResult>(
    QUEUE_NAMES.notifications,
    (job: Job<SendJobData>, token?: string) => {
      // Left out of the stored options to keep the job's hash compact (see sendJobOptions); BullMQ
      // reads it from this same object when the job fails, to delay the retry.
      job.opts.backoff ??= { ...SEND_JOB_BACKOFF };
      return processSend(job, token);
    },
    {
      connection: deps.connection,
      prefix: bullPrefix(deps.namespace),
      concurrency: deps.concurrency,
      autorun: deps.autorun ?? true,
      settings: { backoffStrategy: sendBackoffStrategy(deps.backoff) },
      removeOnComplete: SEND_JOB_RETENTION.removeOnComplete,
      removeOnFail: SEND_JOB_RETENTION.removeOnFail,
    },
  );
  worker.on('error', (error) => deps.logger.error('worker error', { error: error.message }));
  worker.on('failed', (job, error) => {
    if (job && job.attemptsMade >= (job.opts.attempts ?? 1)) {
      deps.logger.warn('send job finished as failed', { jobId: job.id, reason: error.message });
    }
  });
  return worker;
}

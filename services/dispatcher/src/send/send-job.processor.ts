import { UnrecoverableError, type Job } from 'bullmq';
import { addToLogContext, withLogContext, type Logger } from '@telenexus/logger';
import { InvalidJobDataError, parseSendJobData, type SendJobData } from '@telenexus/queue';
import { RetryableSendError } from './retryable-send-error';
import type { SendMessage, SendResult } from './send-message.use-case';

/**
 * The worker's door: checks the job's data, runs one send attempt, and turns the result into the
 * job's fate — completed, retried later (RetryableSendError), or failed for good (UnrecoverableError,
 * so the dashboard shows permanent failures).
 */
export function sendJobProcessor(sendMessage: SendMessage, logger: Logger) {
  return (job: Job<SendJobData>): Promise<SendResult> =>
    withLogContext({ jobId: job.id }, async () => {
      let messageId: string;
      try {
        messageId = parseSendJobData(job.data).messageId;
      } catch (error) {
        if (error instanceof InvalidJobDataError) throw new UnrecoverableError(error.message);
        throw error;
      }
      addToLogContext({ messageId });
      const result = await sendMessage.execute(messageId, {
        number: job.attemptsMade + 1,
        max: job.opts.attempts ?? 1,
      });
      logger.info('send attempt finished', { result: result.kind, attempt: job.attemptsMade + 1 });
      switch (result.kind) {
        case 'retry':
          throw new RetryableSendError(result.reason, result.delayMs);
        case 'failed':
          throw new UnrecoverableError(result.reason);
        default:
          return result;
      }
    });
}

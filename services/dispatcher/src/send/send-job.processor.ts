import { DelayedError, UnrecoverableError, type Job } from 'bullmq';
import { addToLogContext, withLogContext, type Logger } from '@telenexus/logger';
import { InvalidJobDataError, parseSendJobData, type SendJobData } from '@telenexus/queue';
import { RetryableSendError } from '../retries/retryable-send-error';
import type { SendMessage, SendResult } from './send-message.use-case';

/**
 * The worker's door: checks the job's data, runs one send attempt, and turns the result into the
 * job's fate — completed, retried later (RetryableSendError), or failed for good (UnrecoverableError,
 * so the dashboard shows permanent failures).
 */
export function sendJobProcessor(sendMessage: SendMessage, logger: Logger) {
  return (job: Job<SendJobData>, token?: string): Promise<SendResult> =>
    withLogContext({ jobId: job.id }, async () => {
      let data: SendJobData;
      try {
        data = parseSendJobData(job.data);
      } catch (error) {
        if (error instanceof InvalidJobDataError) throw new UnrecoverableError(error.message);
        throw error;
      }
      const { messageId } = data;
      addToLogContext({ messageId });
      // A slot belongs to the attempt that reserved it; a retry reserves its own.
      const reservedSlot = data.paceAttempt === job.attemptsMade ? data.paceSlotMs : undefined;
      const result = await sendMessage.execute(
        messageId,
        { number: job.attemptsMade + 1, max: job.opts.attempts ?? 1 },
        reservedSlot,
      );
      if (result.kind === 'delayed' || result.kind === 'held') {
        // Delayed once, to its slot (or held, with none): the job waits in Redis's delayed set, not
        // in a retry loop, and uses none of its attempts.
        const paceSlotMs = result.kind === 'delayed' ? result.reservedSlotMs : undefined;
        await job.updateData({ messageId, paceSlotMs, paceAttempt: job.attemptsMade });
        await job.moveToDelayed(result.untilMs, token);
        logger.debug(result.kind === 'held' ? 'send held' : 'send delayed', {
          reason: result.reason,
          until: new Date(result.untilMs).toISOString(),
        });
        throw new DelayedError();
      }
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

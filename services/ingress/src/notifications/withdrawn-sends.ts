import { localDay, type Instance } from '@telenexus/core';
import type { Logger } from '@telenexus/logger';
import type { QueuedSend } from '@telenexus/queue';

/** Where queued sends' jobs can be taken back from. */
export interface SendWithdrawer {
  withdrawSends(messageIds: readonly string[]): Promise<QueuedSend[]>;
}

/** Where an instance's pacing slots go back to. */
export interface SlotGiver {
  giveBack(instanceId: string, slotMs: number, day: string, nowMs: number): Promise<void>;
}

/**
 * Gives pacing slots back to the instance's pacer. Best effort: a slot not given back only leaves a
 * gap in the pace and one unit of the cap unused.
 */
export async function giveBackSlots(
  pacer: SlotGiver,
  logger: Logger,
  instance: Instance,
  slotsMs: readonly number[],
  nowMs: number,
): Promise<void> {
  try {
    for (const slotMs of slotsMs)
      await pacer.giveBack(instance.id, slotMs, localDay(slotMs, instance.timezone), nowMs);
  } catch (error) {
    logger.warn('could not give back pacing slots', { instanceId: instance.id, error });
  }
}

/**
 * Messages that will not be sent after all (canceled): their jobs are taken back and the slots they
 * held given back now, so the messages that come next are not planned behind slots nobody will use.
 * Best effort: a job left behind gives its slot back when it wakes and finds its message canceled.
 */
export async function withdrawSends(
  deps: { readonly queue: SendWithdrawer; readonly pacer: SlotGiver; readonly logger: Logger },
  instance: Instance,
  messageIds: readonly string[],
  nowMs: number,
): Promise<void> {
  if (messageIds.length === 0) return;
  try {
    const withdrawn = await deps.queue.withdrawSends(messageIds);
    const held = withdrawn.flatMap(({ slotMs }) => (slotMs === undefined ? [] : [slotMs]));
    await giveBackSlots(deps.pacer, deps.logger, instance, held, nowMs);
  } catch (error) {
    deps.logger.warn('could not take back the jobs of canceled messages', {
      count: messageIds.length,
      error,
    });
  }
}

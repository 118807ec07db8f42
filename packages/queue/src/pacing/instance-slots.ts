import {
  nextSendingTime,
  RESERVATION_DAYS,
  sendingWindows,
  type Instance,
  type SendingWindow,
} from '@telenexus/core';
import type { PacingPolicy } from './instance-pacer';

/** Reserves an instance's send slots (InstancePacer): what ingress and the dispatcher both call. */
export interface SlotReserver {
  reserveSlots(
    instanceId: string,
    policy: PacingPolicy,
    windows: readonly SendingWindow[],
    nowMs: number,
    count: number,
  ): Promise<(number | undefined)[]>;
}

/** A slot this close to now is now: delayed jobs wake a few milliseconds either side of their time. */
export const SLOT_TOLERANCE_MS = 20;

/** How the instance spaces its sends, as its pacer reads it. */
export function pacingPolicyOf(instance: Instance): PacingPolicy {
  return {
    minGapMs: instance.pacingMinGapMs,
    jitterMs: instance.pacingJitterMs,
    dailyCap: instance.dailyCap,
  };
}

/** The instance's sending windows (outside quiet hours) a reservation made now may use. */
export function reservationWindows(instance: Instance, nowMs: number): SendingWindow[] {
  return sendingWindows(nowMs, instance.timezone, instance.quietHours, RESERVATION_DAYS);
}

/**
 * Reserves the instance's next `count` send slots from now, inside its sending windows.
 *
 * @returns the slots in order (epoch ms), undefined for each its daily cap left no room for.
 */
export function reserveInstanceSlots(
  reserver: SlotReserver,
  instance: Instance,
  nowMs: number,
  count: number,
): Promise<(number | undefined)[]> {
  return reserver.reserveSlots(
    instance.id,
    pacingPolicyOf(instance),
    reservationWindows(instance, nowMs),
    nowMs,
    count,
  );
}

/** Why a message waits for a slot reserved now, as its timeline says it. */
export function slotReason(instance: Instance, nowMs: number): string {
  const quietNow = nextSendingTime(nowMs, instance.timezone, instance.quietHours) > nowMs + SLOT_TOLERANCE_MS;
  return quietNow ? 'quiet hours, then paced for the instance' : 'paced for the instance';
}

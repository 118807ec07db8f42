import { isPaced, localDay, nextSendingTime, type Instance } from '@telenexus/core';
import {
  reservationWindows,
  reserveInstanceSlots,
  SLOT_TOLERANCE_MS,
  slotReason,
  type SlotReserver as SlotReservations,
} from '@telenexus/queue';

/** Reserves instance send slots, and takes back those not used; implemented in Redis by InstancePacer. */
export interface SlotReserver extends SlotReservations {
  giveBack(instanceId: string, slotMs: number, day: string, nowMs: number): Promise<void>;
}

/** Gives back a slot an attempt reserved and will not use: its day's cap unit and, if ahead, the slot. */
export function giveBackSlot(
  slots: SlotReserver,
  instance: Instance,
  slotMs: number,
  nowMs: number,
): Promise<void> {
  return slots.giveBack(instance.id, slotMs, localDay(slotMs, instance.timezone), nowMs);
}

/** When a message may be sent, as decided for one attempt. */
export type SendTime =
  | { readonly kind: 'now' }
  /** Wait until `atMs`; `reservedSlotMs` is a slot already taken for this attempt. */
  | {
      readonly kind: 'later';
      readonly atMs: number;
      readonly reservedSlotMs?: number;
      readonly reason: string;
    };

/**
 * Decides when an attempt may send: at once; at the instance's next paced slot (reserved once, so a
 * backlog is spread out a single time rather than polled); or after quiet hours. An instance with
 * no gap, jitter or cap is not paced; quiet hours apply either way, and are checked again when a job
 * runs, whatever slot it holds: a job woken late (a dispatcher down, a busy queue) must not send at
 * night. Its slot then goes back and a new one is reserved after the quiet hours.
 */
export async function decideSendTime(
  instance: Instance,
  nowMs: number,
  reservedSlotMs: number | undefined,
  slots: SlotReserver,
): Promise<SendTime> {
  const allowedAt = nextSendingTime(nowMs, instance.timezone, instance.quietHours);
  const quietNow = allowedAt > nowMs + SLOT_TOLERANCE_MS;
  const reserving = isPaced(instance) || instance.dailyCap !== null;
  if (reserving) {
    if (reservedSlotMs !== undefined) {
      // Woken early (promoted, or re-added by the sweeper): the slot it holds is still ahead.
      if (reservedSlotMs > nowMs + SLOT_TOLERANCE_MS) {
        return { kind: 'later', atMs: reservedSlotMs, reservedSlotMs, reason: 'paced for the instance' };
      }
      if (!quietNow) return { kind: 'now' };
      await giveBackSlot(slots, instance, reservedSlotMs, nowMs);
    }
    const [slot] = await reserveInstanceSlots(slots, instance, nowMs, 1);
    if (slot === undefined) {
      const last = reservationWindows(instance, nowMs).at(-1);
      return {
        kind: 'later',
        atMs: last ? last.endMs : nowMs + 3_600_000,
        reason: 'daily cap reached for the coming days',
      };
    }
    if (slot <= nowMs + SLOT_TOLERANCE_MS) return { kind: 'now' };
    return {
      kind: 'later',
      atMs: slot,
      reservedSlotMs: slot,
      reason: slotReason(instance, nowMs),
    };
  }
  return quietNow ? { kind: 'later', atMs: allowedAt, reason: 'quiet hours' } : { kind: 'now' };
}

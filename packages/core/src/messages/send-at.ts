/** How far ahead a billing system may schedule a message: a billing cycle, with room to spare. */
export const MAX_SEND_AT_DAYS = 30;

const DAY_MS = 24 * 3600 * 1000;

/**
 * Until when a message asked to go out at `sendAt` waits as `scheduled`: that instant when it is
 * ahead, or null when it is not (a time already past means now, so a billing system that queued
 * its reminders late does not lose them), or a problem when it is too far ahead.
 */
export function scheduledSendTime(
  sendAt: Date,
  nowMs: number,
): { readonly waitsUntilMs: number | null } | { readonly problem: string } {
  const atMs = sendAt.getTime();
  if (atMs > nowMs + MAX_SEND_AT_DAYS * DAY_MS)
    return { problem: `must be at most ${MAX_SEND_AT_DAYS} days ahead` };
  return { waitsUntilMs: atMs > nowMs ? atMs : null };
}

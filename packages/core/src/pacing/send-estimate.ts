import { DateTime } from 'luxon';
import { sendingWindows, type QuietHours, type SendingWindow } from './sending-windows';

/** How far ahead an estimate looks for a send time; past it (a daily cap of 0, say) there is none. */
export const ESTIMATE_HORIZON_DAYS = 366;

/** Local days a pacer may hold reservations for: it reserves at most this many days ahead. */
export const RESERVATION_DAYS = 8;

/**
 * Windows are worked out this many days at a time after the first day, which is worked out alone:
 * most estimates (an unpaced instance, a short backlog) end in today's window, and each day costs
 * time-zone arithmetic on every request.
 */
const WINDOW_CHUNK_DAYS = 8;

/** How an instance spaces its sends, as far as an estimate needs to know. */
export interface SendPace {
  /** IANA time zone of the instance: quiet hours and daily caps are local. */
  readonly timeZone: string;
  readonly quietHours: QuietHours | null;
  /** Sends per local day, or null for no cap. */
  readonly dailyCap: number | null;
  /** Mean time between two planned sends, in ms; 0 when the instance does not space its sends. */
  readonly spacingMs: number;
}

/** Where the instance's pacer stands: what its next reservations would find. */
export interface PacerPosition {
  /** Where the next reservation starts (the end of the last one); at or before now means now. */
  readonly nextFreeMs: number;
  /** Slots given back and still ahead: reservations take them before `nextFreeMs`. */
  readonly givenBackMs: readonly number[];
  /** Units of each local day's cap (`YYYY-MM-DD`) already reserved. */
  readonly reservedByDay: Readonly<Record<string, number>>;
}

/** A pacer with nothing reserved: an unpaced instance, or one whose pacer could not be read. */
export const IDLE_PACER: PacerPosition = { nextFreeMs: 0, givenBackMs: [], reservedByDay: {} };

export interface SendEstimateInput {
  readonly nowMs: number;
  readonly pace: SendPace;
  readonly pacer: PacerPosition;
  /** Messages of the instance waiting ahead that hold no slot yet: they take the next slots first. */
  readonly ahead: number;
}

/** The local days from `nowMs` on whose cap counters a pacer may hold (see RESERVATION_DAYS). */
export function reservationDays(nowMs: number, timeZone: string): string[] {
  // The same list all day long: kept per zone until its local day ends.
  const known = reservationDaysByZone.get(timeZone);
  if (known && nowMs >= known.fromMs && nowMs < known.toMs) return [...known.days];
  const today = DateTime.fromMillis(nowMs, { zone: timeZone }).startOf('day');
  const days = Array.from(
    { length: RESERVATION_DAYS },
    (_, index) => today.plus({ days: index }).toISODate() ?? '',
  );
  if (reservationDaysByZone.size >= 1_000) reservationDaysByZone.clear();
  reservationDaysByZone.set(timeZone, {
    fromMs: today.toMillis(),
    toMs: today.plus({ days: 1 }).toMillis(),
    days,
  });
  return [...days];
}

const reservationDaysByZone = new Map<
  string,
  { readonly fromMs: number; readonly toMs: number; readonly days: readonly string[] }
>();

/** The instance's sending windows from `fromMs` on, worked out lazily up to the horizon. */
class WindowList {
  private readonly windows: SendingWindow[] = [];
  private nextDayMs: number;
  private days = 0;

  constructor(
    fromMs: number,
    private readonly pace: SendPace,
  ) {
    this.nextDayMs = fromMs;
  }

  /** The window at a position, or undefined past the horizon. */
  at(index: number): SendingWindow | undefined {
    while (index >= this.windows.length && this.days < ESTIMATE_HORIZON_DAYS) {
      const days = Math.min(this.days === 0 ? 1 : WINDOW_CHUNK_DAYS, ESTIMATE_HORIZON_DAYS - this.days);
      this.windows.push(...sendingWindows(this.nextDayMs, this.pace.timeZone, this.pace.quietHours, days));
      this.nextDayMs = DateTime.fromMillis(this.nextDayMs, { zone: this.pace.timeZone })
        .startOf('day')
        .plus({ days })
        .toMillis();
      this.days += days;
    }
    return this.windows[index];
  }

  /** The window holding an instant, if it is in one. */
  containing(atMs: number): SendingWindow | undefined {
    for (let index = 0; ; index += 1) {
      const window = this.at(index);
      if (!window || window.startMs > atMs) return undefined;
      if (atMs < window.endMs) return window;
    }
  }
}

/**
 * When the next `count` messages of an instance would be sent, in order, if accepted now: the same
 * walk the pacer's reservations make (packages/queue's RESERVE_SLOT), with the mean of the jitter.
 * The messages `ahead` go first; slots given back are taken before the one after the last
 * reservation; each slot lies in a sending window (outside quiet hours) whose local day still has
 * room under the daily cap, and the next one follows it by the spacing.
 *
 * An estimate, not a promise: jitter, how long Evolution takes to answer, retries, a disconnected
 * number and changes to the instance's pace all move the real times.
 *
 * @returns one time per message (epoch ms), or null when none falls within ESTIMATE_HORIZON_DAYS.
 */
export function estimateSendTimes(input: SendEstimateInput, count: number): (number | null)[] {
  const { nowMs, pace, pacer } = input;
  const times: (number | null)[] = [];
  // A cap of 0 sends nothing, ever: no need to walk a year of windows to find that out.
  if (pace.dailyCap === 0) return Array.from({ length: count }, () => null);
  const firstSlot = Math.max(nowMs, pacer.nextFreeMs);
  // An instance that spaces nothing, keeps no quiet hours and has no cap sends everything at once:
  // the walk below would come to the same, after time-zone arithmetic on every request.
  if (
    pace.spacingMs === 0 &&
    pace.quietHours === null &&
    pace.dailyCap === null &&
    pacer.givenBackMs.length === 0
  )
    return Array.from({ length: count }, () => firstSlot);
  const used = new Map(Object.entries(pacer.reservedByDay));
  const room = (day: string): number =>
    pace.dailyCap === null ? Number.POSITIVE_INFINITY : pace.dailyCap - (used.get(day) ?? 0);
  const use = (day: string, units: number): void => {
    used.set(day, (used.get(day) ?? 0) + units);
  };
  const windows = new WindowList(nowMs, pace);
  let skip = Math.max(0, Math.floor(input.ahead));

  const givenBack = pacer.givenBackMs.filter((slot) => slot >= nowMs).sort((a, b) => a - b);
  for (const slot of givenBack) {
    if (times.length >= count) break;
    const window = windows.containing(slot);
    if (!window || room(window.day) <= 0) continue;
    use(window.day, 1);
    if (skip > 0) skip -= 1;
    else times.push(slot);
  }

  let slot = firstSlot;
  for (let index = 0; times.length < count; index += 1) {
    const window = windows.at(index);
    if (!window) break;
    const start = Math.max(slot, window.startMs);
    if (start >= window.endMs || room(window.day) <= 0) continue;
    // Slots start + k × spacing that still begin inside the window, as many as the day has room for.
    const fitting =
      pace.spacingMs > 0 ? Math.ceil((window.endMs - start) / pace.spacingMs) : Number.POSITIVE_INFINITY;
    const available = Math.min(room(window.day), fitting);
    const skipped = Math.min(skip, available);
    const taken = Math.min(available - skipped, count - times.length);
    for (let k = skipped; k < skipped + taken; k += 1) times.push(start + k * pace.spacingMs);
    skip -= skipped;
    use(window.day, skipped + taken);
    slot = start + (skipped + taken) * pace.spacingMs;
  }
  while (times.length < count) times.push(null);
  return times;
}

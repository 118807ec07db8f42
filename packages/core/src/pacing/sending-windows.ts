import { DateTime } from 'luxon';

/** Local times (`HH:MM`) between which an instance sends nothing; `21:00`–`07:00` spans midnight. */
export interface QuietHours {
  readonly start: string;
  readonly end: string;
}

/** A stretch of time in which messages may go out, tagged with the local day it belongs to. */
export interface SendingWindow {
  /** The instance's local calendar day (`YYYY-MM-DD`): daily caps count per local day. */
  readonly day: string;
  readonly startMs: number;
  readonly endMs: number;
}

const CLOCK = /^([01]\d|2[0-3]):([0-5]\d)$/;

/** Why a clock time is unusable, or undefined when it is a valid `HH:MM`. */
export function clockTimeProblem(value: string): string | undefined {
  return CLOCK.test(value) ? undefined : 'must be a time of day as HH:MM (24-hour), e.g. 21:00';
}

function minutesOf(clock: string): number {
  const match = CLOCK.exec(clock);
  if (!match) throw new Error(`Invalid clock time ${clock}`);
  return Number(match[1]) * 60 + Number(match[2]);
}

/**
 * The instance's sending windows from `fromMs` on, for `days` local days: each day, minus its quiet
 * hours when it has any. Computed in the instance's time zone (daylight-saving changes included),
 * so the dispatcher only compares instants. Windows that ended before `fromMs` are left out.
 */
export function sendingWindows(
  fromMs: number,
  timeZone: string,
  quietHours: QuietHours | null,
  days: number,
): SendingWindow[] {
  // Every paced send asks for the same days' windows until the local day ends; working them out
  // in the time zone is most of what a reservation costs ingress. Kept per zone, quiet hours and
  // length, for the local day they start on.
  const key = `${timeZone}|${quietHours?.start ?? ''}|${quietHours?.end ?? ''}|${days}`;
  let known = windowsByDay.get(key);
  if (!known || fromMs < known.fromDayMs || fromMs >= known.toDayMs) {
    known = windowsOfDays(fromMs, timeZone, quietHours, days);
    if (windowsByDay.size >= WINDOW_SETS_KEPT) windowsByDay.clear();
    windowsByDay.set(key, known);
  }
  return known.windows.filter((window) => window.endMs > fromMs);
}

/** The windows of `days` local days from the one holding an instant, and where that day begins and ends. */
interface DaysWindows {
  readonly fromDayMs: number;
  readonly toDayMs: number;
  readonly windows: readonly SendingWindow[];
}

const WINDOW_SETS_KEPT = 1_000;
const windowsByDay = new Map<string, DaysWindows>();

function windowsOfDays(
  fromMs: number,
  timeZone: string,
  quietHours: QuietHours | null,
  days: number,
): DaysWindows {
  const windows: SendingWindow[] = [];
  let dayStart = DateTime.fromMillis(fromMs, { zone: timeZone }).startOf('day');
  const fromDayMs = dayStart.toMillis();
  const toDayMs = dayStart.plus({ days: 1 }).toMillis();
  for (let index = 0; index < days; index += 1) {
    const nextDay = dayStart.plus({ days: 1 });
    const day = dayStart.toISODate() ?? '';
    // Wall-clock times, not durations from midnight: a daylight-saving day is 23 or 25 hours long.
    const at = (minutes: number): number =>
      dayStart.set({ hour: Math.floor(minutes / 60), minute: minutes % 60 }).toMillis();
    const quiet = quietHours ? [minutesOf(quietHours.start), minutesOf(quietHours.end)] : undefined;
    if (!quiet || quiet[0] === quiet[1]) {
      windows.push({ day, startMs: dayStart.toMillis(), endMs: nextDay.toMillis() });
    } else if (quiet[0]! > quiet[1]!) {
      // Overnight quiet hours (21:00–07:00): one window in the middle of the day.
      windows.push({ day, startMs: at(quiet[1]!), endMs: at(quiet[0]!) });
    } else {
      // Daytime quiet hours (12:00–14:00): the day on either side.
      windows.push({ day, startMs: dayStart.toMillis(), endMs: at(quiet[0]!) });
      windows.push({ day, startMs: at(quiet[1]!), endMs: nextDay.toMillis() });
    }
    dayStart = nextDay;
  }
  return { fromDayMs, toDayMs, windows: windows.filter((window) => window.endMs > window.startMs) };
}

/**
 * When a message due at `atMs` may go out given quiet hours: `atMs` itself outside them, else the
 * end of the quiet period it falls in.
 */
export function nextSendingTime(atMs: number, timeZone: string, quietHours: QuietHours | null): number {
  if (!quietHours) return atMs;
  const window = sendingWindows(atMs, timeZone, quietHours, 2).find((candidate) => candidate.endMs > atMs);
  return window ? Math.max(atMs, window.startMs) : atMs;
}

/** The instance's local calendar day (`YYYY-MM-DD`) of an instant: the day whose cap a slot counts on. */
export function localDay(atMs: number, timeZone: string): string {
  return DateTime.fromMillis(atMs, { zone: timeZone }).toISODate() ?? '';
}

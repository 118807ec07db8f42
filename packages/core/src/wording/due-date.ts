const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/;
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2})(?::(\d{2})(?:\.\d{1,9})?)?(Z|[+-]\d{2}:?\d{2})?$/;

/**
 * Reads an ISO 8601 calendar date (`2026-02-15`) or date-time (`2026-02-15T09:00:00+03:00`) and
 * returns the calendar date it names, as written, or undefined when it is not a real date
 * (`2026-02-30`, `2026-13-01`, `15/02/2026`). The date is taken as written rather than converted to
 * UTC: a bill due on the 15th in Nairobi is due on the 15th.
 */
export function parseDueDate(value: string): string | undefined {
  const match = DATE_ONLY.exec(value) ?? DATE_TIME.exec(value);
  if (!match) return undefined;
  const [, year, month, day, hour, minute, second] = match;
  if (!isRealDate(Number(year), Number(month), Number(day))) return undefined;
  if (hour !== undefined && (Number(hour) > 23 || Number(minute) > 59 || Number(second ?? 0) > 59)) {
    return undefined;
  }
  return `${year}-${month}-${day}`;
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (year < 1900 || month < 1 || month > 12 || day < 1) return false;
  const lastDay = new Date(Date.UTC(year, month, 0)).getUTCDate();
  return day <= lastDay;
}

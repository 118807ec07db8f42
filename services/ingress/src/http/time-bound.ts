import { parseDueDate } from '@telenexus/core';

/**
 * Reads a `from`/`to` filter: a calendar date (`2026-02-01`, the whole day in UTC, so
 * `to=2026-02-28` includes the 28th) or an ISO 8601 instant with its offset.
 *
 * @returns the instant the bound stands for (`from` inclusive, `to` exclusive), or undefined.
 */
export function parseTimeBound(value: string, side: 'from' | 'to'): Date | undefined {
  if (/^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const day = parseDueDate(value);
    if (!day) return undefined;
    const start = new Date(`${day}T00:00:00.000Z`);
    return side === 'from' ? start : new Date(start.getTime() + 24 * 3600 * 1000);
  }
  if (!/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/.test(value)) return undefined;
  const instant = new Date(value);
  if (Number.isNaN(instant.getTime())) return undefined;
  return side === 'from' ? instant : new Date(instant.getTime() + 1);
}

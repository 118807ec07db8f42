/**
 * Reads a `Retry-After` header (RFC 9110: delay-seconds or an HTTP-date) as milliseconds from now.
 * Returns `undefined` when the header is absent or unreadable, 0 for a date in the past.
 *
 * @param value the raw header; arrays (repeated headers) use their first entry.
 * @param nowMs the current time, for HTTP-dates.
 */
export function parseRetryAfter(value: unknown, nowMs: number = Date.now()): number | undefined {
  const raw = Array.isArray(value) ? (value as unknown[])[0] : value;
  if (typeof raw === 'number') {
    return Number.isFinite(raw) && raw >= 0 ? Math.round(raw * 1000) : undefined;
  }
  if (typeof raw !== 'string') return undefined;
  const text = raw.trim();
  if (text === '') return undefined;
  // Fractions are outside the RFC, but some proxies send them; reading them beats ignoring them.
  if (/^\d+(\.\d+)?$/.test(text)) {
    return Math.round(Number(text) * 1000);
  }
  // Date.parse accepts bare numbers such as "-5" as years; only a text with letters is an HTTP-date.
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - nowMs);
}

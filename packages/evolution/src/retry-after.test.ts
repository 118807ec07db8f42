import { parseRetryAfter } from './retry-after';

describe('parseRetryAfter', () => {
  const now = Date.parse('2025-01-01T00:00:00Z');

  it('When the header is delay-seconds, then it is converted to ms', () => {
    expect(parseRetryAfter('120', now)).toBe(120_000);
    expect(parseRetryAfter(' 0 ', now)).toBe(0);
  });

  it('When the header has a fraction, then it is read anyway', () => {
    expect(parseRetryAfter('1.5', now)).toBe(1500);
  });

  it('When the header is an HTTP-date, then it is the time until that date', () => {
    expect(parseRetryAfter('Wed, 01 Jan 2025 00:00:30 GMT', now)).toBe(30_000);
  });

  it('When the HTTP-date is in the past, then it is 0', () => {
    expect(parseRetryAfter('Tue, 31 Dec 2024 23:59:00 GMT', now)).toBe(0);
  });

  it('When the header repeats, then the first value counts', () => {
    expect(parseRetryAfter(['5', '10'], now)).toBe(5000);
  });

  it('When the value is a number, then it is seconds', () => {
    expect(parseRetryAfter(2, now)).toBe(2000);
  });

  it('When the header is absent or unreadable, then it is undefined', () => {
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
    expect(parseRetryAfter('', now)).toBeUndefined();
    expect(parseRetryAfter('-5', now)).toBeUndefined();
    expect(parseRetryAfter('soon', now)).toBeUndefined();
    expect(parseRetryAfter(Number.NaN, now)).toBeUndefined();
  });
});

import { fullJitterDelay, retryDelay } from './backoff';

const policy = { baseMs: 1000, capMs: 60_000 };

describe('fullJitterDelay', () => {
  it('When the random source is at its top, then the delay doubles per retry up to the cap', () => {
    const top = (): number => 0.999999;
    expect([1, 2, 3, 4, 7, 8, 30].map((retry) => fullJitterDelay(retry, policy, top))).toEqual([
      999, 1999, 3999, 7999, 59_999, 59_999, 59_999,
    ]);
  });

  it('When the random source is at zero, then the retry is immediate', () => {
    expect(fullJitterDelay(5, policy, () => 0)).toBe(0);
  });

  it('When many retries are drawn, then every delay stays within [0, ceiling)', () => {
    for (let retry = 1; retry < 50; retry += 1) {
      const delay = fullJitterDelay(retry, policy);
      expect(delay).toBeGreaterThanOrEqual(0);
      expect(delay).toBeLessThan(Math.min(policy.capMs, policy.baseMs * 2 ** (retry - 1)));
    }
  });
});

describe('retryDelay', () => {
  it('When the server asked for a longer wait with Retry-After, then that wait wins', () => {
    expect(retryDelay(1, policy, 30_000, () => 0.5)).toBe(30_000);
  });

  it('When the jittered delay is longer than Retry-After, then the jittered delay stands', () => {
    expect(retryDelay(6, policy, 100, () => 0.5)).toBe(16_000);
  });
});

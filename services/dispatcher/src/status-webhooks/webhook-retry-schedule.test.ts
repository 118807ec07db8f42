import { nextWebhookStep } from './webhook-retry-schedule';

const policy = { backoff: { baseMs: 30_000, capMs: 3_600_000 }, retryWindowMs: 24 * 3600 * 1000 };
const createdAt = new Date('2026-02-01T00:00:00.000Z');
const at = (ms: number) => createdAt.getTime() + ms;
const top = () => 0.999999;

describe('nextWebhookStep', () => {
  it('When attempts fail, then the wait doubles from 30 s up to the one-hour cap', () => {
    const waits = [1, 2, 3, 8, 20].map((attempts) => {
      const step = nextWebhookStep({ createdAt, attempts, nowMs: at(0) }, policy, top);
      return step.kind === 'retry' ? step.at.getTime() - at(0) : undefined;
    });
    expect(waits).toEqual([29_999, 59_999, 119_999, 3_599_996, 3_599_996]);
  });

  it('When the receiver sent Retry-After, then the next attempt is no sooner', () => {
    const step = nextWebhookStep(
      { createdAt, attempts: 1, nowMs: at(0), retryAfterMs: 600_000 },
      policy,
      () => 0,
    );
    expect(step).toEqual({ kind: 'retry', at: new Date(at(600_000)) });
  });

  it('When Retry-After asks for more than the retry window, then the wait is bounded by the window', () => {
    const step = nextWebhookStep(
      { createdAt, attempts: 1, nowMs: at(0), retryAfterMs: 10 * policy.retryWindowMs },
      policy,
      () => 0,
    );
    expect(step).toEqual({ kind: 'retry', at: new Date(at(policy.retryWindowMs)) });
  });

  it('When a failure comes just inside the window, then it is retried once more; at the window, given up', () => {
    expect(
      nextWebhookStep({ createdAt, attempts: 40, nowMs: at(policy.retryWindowMs - 1) }, policy, top).kind,
    ).toBe('retry');
    expect(
      nextWebhookStep({ createdAt, attempts: 41, nowMs: at(policy.retryWindowMs) }, policy, top),
    ).toEqual({
      kind: 'give-up',
    });
  });
});

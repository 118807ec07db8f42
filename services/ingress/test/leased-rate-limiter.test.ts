import { Redis } from 'ioredis';
import { uniqueQueueNamespace } from '../../../test/support/test-context';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { LeasedRateLimiter } from '../src/http/leased-rate-limiter';

/**
 * Rate limits shared by replicas a lease at a time, against the real Redis: replicas never admit
 * more than the limit together, and ask Redis once per lease rather than once per request.
 */
const redis = new Redis(TEST_REDIS_URL);
const WINDOW_MS = 60_000;
// The middle of a window, so no test straddles two.
const clock = () => 30 * WINDOW_MS + 1_000;

afterAll(async () => {
  await redis.quit();
});

/** Replicas over one Redis prefix, each counting its Redis round trips. */
function replicas(count: number, points: number, leaseSize: number) {
  const keyPrefix = `${uniqueQueueNamespace()}:rate`;
  return Array.from({ length: count }, () => {
    let roundTrips = 0;
    const counting = new Proxy(redis, {
      get(target, property, receiver) {
        if (property === 'multi') roundTrips += 1;
        return Reflect.get(target, property, receiver) as unknown;
      },
    });
    const limiter = new LeasedRateLimiter(counting, {
      keyPrefix,
      points,
      windowMs: WINDOW_MS,
      leaseSize,
      now: clock,
    });
    return { limiter, roundTrips: () => roundTrips };
  });
}

async function admitted(limiter: LeasedRateLimiter, requests: number): Promise<number> {
  let allowed = 0;
  for (let i = 0; i < requests; i += 1) if ((await limiter.consume('key-1', 1)).allowed) allowed += 1;
  return allowed;
}

describe('LeasedRateLimiter', () => {
  it('When three replicas take leases of 10 from a limit of 100, then together they admit exactly 100, asking Redis once per lease', async () => {
    const [a, b, c] = replicas(3, 100, 10);

    const first = [
      await admitted(a!.limiter, 45),
      await admitted(b!.limiter, 45),
      await admitted(c!.limiter, 45),
    ];
    // a and b leased 50 each and spent 45: c finds nothing left, while 5 sit in each of their leases…
    expect(first).toEqual([45, 45, 0]);
    expect([a!.roundTrips(), b!.roundTrips()]).toEqual([5, 5]);
    // …which they spend, and then no one gets more: never more than the limit in all.
    const second = [
      await admitted(a!.limiter, 10),
      await admitted(b!.limiter, 10),
      await admitted(c!.limiter, 10),
    ];
    expect(second).toEqual([5, 5, 0]);
    expect([...first, ...second].reduce((sum, n) => sum + n, 0)).toBe(100);
  });

  it('When replicas interleave, then unspent leases elsewhere are the only points a replica cannot have', async () => {
    const [a, b] = replicas(2, 20, 10);

    expect(await admitted(a!.limiter, 1)).toBe(1); // a holds 9 unspent
    expect(await admitted(b!.limiter, 15)).toBe(10); // b takes the other 10, then finds none left
    expect(await admitted(a!.limiter, 15)).toBe(9);
  });

  it('With a lease of 1, then every point is asked for: the limit holds exactly, and what is left is told exactly', async () => {
    const [a, b] = replicas(2, 5, 1);

    const decisions = [];
    for (let i = 0; i < 6; i += 1) decisions.push(await (i % 2 === 0 ? a! : b!).limiter.consume('key-1', 1));

    expect(decisions.map((decision) => decision.allowed)).toEqual([true, true, true, true, true, false]);
    expect(decisions.map((decision) => decision.remaining)).toEqual([4, 3, 2, 1, 0, 0]);
    expect(decisions[5]!.msBeforeReset).toBe(WINDOW_MS - 1_000);
  });

  it('When a batch costs more than is left, then it is refused and the points left stay for a smaller request', async () => {
    const [a] = replicas(1, 5, 1);

    expect((await a!.limiter.consume('key-1', 4)).allowed).toBe(true);
    expect((await a!.limiter.consume('key-1', 2)).allowed).toBe(false);
    expect((await a!.limiter.consume('key-1', 1)).allowed).toBe(true);
    expect((await a!.limiter.consume('key-1', 1)).allowed).toBe(false);
  });
});

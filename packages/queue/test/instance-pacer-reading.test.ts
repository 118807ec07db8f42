import { randomUUID } from 'node:crypto';
import { estimateSendTimes, reservationDays, sendingWindows, type QuietHours } from '../../core/src';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { InstancePacer, type PacingPolicy } from '../src/pacing/instance-pacer';
import { createWorkerConnection, type RedisConnection } from '../src/redis-connections';

const NAIROBI = 'Africa/Nairobi';
const NOW = Date.parse('2026-02-16T06:00:00Z'); // 09:00 in Nairobi

let redis: RedisConnection;
let namespace: string;

beforeAll(() => {
  redis = createWorkerConnection(TEST_REDIS_URL);
  namespace = `test-${randomUUID().slice(0, 8)}`;
});

afterAll(async () => {
  const keys = await redis.keys(`${namespace}:*`);
  if (keys.length > 0) await redis.del(...keys);
  redis.disconnect();
});

/** Reserves `count` slots as the dispatcher would, with the jitter at its mean (random 0.5). */
async function reserve(
  pacer: InstancePacer,
  instance: string,
  policy: PacingPolicy,
  quietHours: QuietHours | null,
  count: number,
): Promise<(number | undefined)[]> {
  const slots: (number | undefined)[] = [];
  for (let index = 0; index < count; index += 1) {
    slots.push(await pacer.reserveSlot(instance, policy, sendingWindows(NOW, NAIROBI, quietHours, 8), NOW));
  }
  return slots;
}

/** The estimate, from what readPosition finds, of the next `count` messages' send times. */
async function estimate(
  pacer: InstancePacer,
  instance: string,
  policy: PacingPolicy,
  quietHours: QuietHours | null,
  count: number,
): Promise<(number | null)[]> {
  const reading = await pacer.readPosition(instance, policy, reservationDays(NOW, NAIROBI), NOW);
  return estimateSendTimes(
    {
      nowMs: NOW,
      pace: { timeZone: NAIROBI, quietHours, dailyCap: policy.dailyCap, spacingMs: reading.meanSpacingMs },
      pacer: reading,
      ahead: 0,
    },
    count,
  );
}

describe('InstancePacer.readPosition', () => {
  it('When nothing was ever reserved, then it reads an idle pacer and the mean spacing of the policy', async () => {
    const pacer = new InstancePacer(redis, namespace);
    const reading = await pacer.readPosition(
      randomUUID(),
      { minGapMs: 3000, jitterMs: 2000, dailyCap: 5000 },
      ['2026-02-16'],
      NOW,
    );
    // Gap, half the jitter and the planning margin (a tenth of the gap).
    expect(reading).toEqual({
      nextFreeMs: 0,
      givenBackMs: [],
      reservedByDay: { '2026-02-16': 0 },
      meanSpacingMs: 3000 + 1000 + 300,
    });
  });

  it('When slots were reserved, then the estimate from the reading is exactly what the next reservations get', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redis, namespace, () => 0.5);
    const policy = { minGapMs: 3000, jitterMs: 2000, dailyCap: null };
    await reserve(pacer, instance, policy, null, 25);

    const estimated = await estimate(pacer, instance, policy, null, 3);

    expect(await reserve(pacer, instance, policy, null, 3)).toEqual(estimated);
  });

  it("When reservations filled today's cap, then the estimate and the next reservation both move to the next local day", async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redis, namespace, () => 0.5);
    const policy = { minGapMs: 1000, jitterMs: 0, dailyCap: 3 };
    const quiet = { start: '21:00', end: '07:00' };
    await reserve(pacer, instance, policy, quiet, 3);

    const estimated = await estimate(pacer, instance, policy, quiet, 2);

    expect(estimated[0]).toBe(Date.parse('2026-02-17T04:00:00Z')); // 07:00 in Nairobi, the next day
    expect(await reserve(pacer, instance, policy, quiet, 2)).toEqual(estimated);
  });

  it('When the position is read, then every key of the pacer is left as it was', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redis, namespace, () => 0.5);
    const policy = { minGapMs: 3000, jitterMs: 0, dailyCap: 10 };
    await reserve(pacer, instance, policy, null, 2);
    const keys = (await redis.keys(`${namespace}:pace:{${instance}}:*`)).sort();
    const before = await Promise.all(keys.map((key) => redis.get(key)));

    await pacer.readPosition(instance, policy, reservationDays(NOW, NAIROBI), NOW);

    expect((await redis.keys(`${namespace}:pace:{${instance}}:*`)).sort()).toEqual(keys);
    expect(await Promise.all(keys.map((key) => redis.get(key)))).toEqual(before);
  });
});

import { randomUUID } from 'node:crypto';
import { sendingWindows, type SendingWindow } from '../../core/src';
import { TEST_REDIS_URL } from '../../../test/support/test-database';
import { InstancePacer, slotMargin } from '../src/pacing/instance-pacer';
import { createWorkerConnection, type RedisConnection } from '../src/redis-connections';

const NOW = Date.parse('2026-02-16T06:00:00Z'); // 09:00 in Nairobi
const DAY = (from: number): SendingWindow[] => sendingWindows(from, 'Africa/Nairobi', null, 8);

let redisA: RedisConnection;
let redisB: RedisConnection;
let namespace: string;

beforeAll(() => {
  redisA = createWorkerConnection(TEST_REDIS_URL);
  redisB = createWorkerConnection(TEST_REDIS_URL);
  namespace = `test-${randomUUID().slice(0, 8)}`;
});

afterAll(async () => {
  const keys = await redisA.keys(`${namespace}:*`);
  if (keys.length > 0) await redisA.del(...keys);
  redisA.disconnect();
  redisB.disconnect();
});

describe('InstancePacer.reserveSlot', () => {
  it('When many slots are reserved from two processes at once, then they are strictly spaced by the gap plus jitter', async () => {
    const instance = randomUUID();
    const pacers = [
      new InstancePacer(redisA, namespace, () => 0.5),
      new InstancePacer(redisB, namespace, () => 0.5),
    ];
    const policy = { minGapMs: 3000, jitterMs: 2000, dailyCap: null };

    const slots = await Promise.all(
      Array.from({ length: 40 }, (_, index) =>
        pacers[index % 2]!.reserveSlot(instance, policy, DAY(NOW), NOW),
      ),
    );

    const sorted = (slots as number[]).sort((a, b) => a - b);
    expect(sorted[0]).toBe(NOW);
    expect(new Set(sorted).size).toBe(40);
    for (let index = 1; index < sorted.length; index += 1) {
      // Gap, half the jitter (random 0.5) and the planning margin.
      expect(sorted[index]! - sorted[index - 1]!).toBe(3000 + 1000 + 300);
    }
  });

  it('When the daily cap is reached, then the next slots move to the next local day', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const policy = { minGapMs: 0, jitterMs: 0, dailyCap: 2 };

    const slots = [];
    for (let index = 0; index < 3; index += 1)
      slots.push(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW));

    expect(slots.slice(0, 2)).toEqual([NOW, NOW]);
    expect(slots[2]).toBe(Date.parse('2026-02-16T21:00:00Z')); // midnight in Nairobi
    expect(await pacer.sentOnDay(instance, '2026-02-16')).toBe(2);
  });

  it('When it is quiet hours, then the first slot is the end of them and the backlog follows at the pace', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const lateEvening = Date.parse('2026-02-16T19:30:00Z'); // 22:30 in Nairobi
    const windows = sendingWindows(lateEvening, 'Africa/Nairobi', { start: '21:00', end: '07:00' }, 8);

    const first = await pacer.reserveSlot(
      instance,
      { minGapMs: 5000, jitterMs: 0, dailyCap: null },
      windows,
      lateEvening,
    );
    const second = await pacer.reserveSlot(
      instance,
      { minGapMs: 5000, jitterMs: 0, dailyCap: null },
      windows,
      lateEvening,
    );

    expect(first).toBe(Date.parse('2026-02-17T04:00:00Z')); // 07:00 in Nairobi
    expect(second).toBe(first! + 5000 + 500);
  });

  it('When a slot ahead is given back, then the next reservation, from any process, takes it first', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const other = new InstancePacer(redisB, namespace);
    const policy = { minGapMs: 1000, jitterMs: 0, dailyCap: 10 };
    const slots = [];
    for (let index = 0; index < 3; index += 1)
      slots.push(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW));
    expect(slots).toEqual([NOW, NOW + 1100, NOW + 2200]);

    await pacer.giveBack(instance, NOW + 1100, '2026-02-16', NOW + 50);

    expect(await pacer.sentOnDay(instance, '2026-02-16')).toBe(2);
    expect(await other.reserveSlot(instance, policy, DAY(NOW), NOW + 60)).toBe(NOW + 1100);
    expect(await other.reserveSlot(instance, policy, DAY(NOW), NOW + 60)).toBe(NOW + 3300);
    expect(await pacer.sentOnDay(instance, '2026-02-16')).toBe(4);
  });

  it('When a slot already past is given back, then its day unit returns and the next reservation may send at once', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const policy = { minGapMs: 1000, jitterMs: 0, dailyCap: 1 };
    expect(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW)).toBe(NOW);
    // The cap is reached: the next slot is tomorrow.
    expect(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW)).toBe(Date.parse('2026-02-16T21:00:00Z'));

    await pacer.giveBack(instance, NOW, '2026-02-16', NOW + 5000);

    expect(await pacer.sentOnDay(instance, '2026-02-16')).toBe(0);
    expect(await pacer.reserveSlot(instance, policy, DAY(NOW + 5000), NOW + 5000)).toBe(NOW + 5000);
  });

  it('When no window has room, then there is no slot', async () => {
    const pacer = new InstancePacer(redisA, namespace);
    expect(
      await pacer.reserveSlot(randomUUID(), { minGapMs: 0, jitterMs: 0, dailyCap: 1 }, [], NOW),
    ).toBeUndefined();
  });
});

describe('slotMargin', () => {
  it('When the gap grows, then the planning margin is a tenth of it, kept between 100 ms and 500 ms', () => {
    expect([0, 100, 3000, 10_000].map(slotMargin)).toEqual([100, 100, 300, 500]);
  });
});

describe('InstancePacer.takeTurn', () => {
  it('When a send is in flight, then another turn is refused until it is released; then the gap is kept', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const other = new InstancePacer(redisB, namespace);

    const first = await pacer.takeTurn(instance, 1000, 10_000, NOW);
    if (!first.taken) throw new Error('the first turn was refused');
    // In flight, with no duration measured yet: it cannot be answered before now.
    expect(await other.takeTurn(instance, 1000, 10_000, NOW + 5000)).toEqual({
      taken: false,
      retryAtMs: NOW + 6000,
    });

    await first.lock.release();
    expect(await other.takeTurn(instance, 1000, 10_000, NOW + 400)).toEqual({
      taken: false,
      retryAtMs: NOW + 1000,
    });
    expect(await other.takeTurn(instance, 1000, 10_000, NOW + 1000)).toMatchObject({ taken: true });
  });

  it('When Evolution answers a send late, then the next turn waits a whole gap from the answer', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const turn = await pacer.takeTurn(instance, 1000, 10_000, NOW);
    if (!turn.taken) throw new Error('the turn was refused');
    await pacer.markSendAnswered(instance, 1000, 10_000, NOW + 700);
    await turn.lock.release();

    expect(await pacer.takeTurn(instance, 1000, 10_000, NOW + 1000)).toEqual({
      taken: false,
      retryAtMs: NOW + 1700,
    });
    expect(await pacer.takeTurn(instance, 1000, 10_000, NOW + 1700)).toMatchObject({ taken: true });
  });

  it('When sends take time to be answered, then later reservations are spaced by the gap plus that time', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const policy = { minGapMs: 1000, jitterMs: 0, dailyCap: null };
    const turn = await pacer.takeTurn(instance, 1000, 10_000, NOW);
    if (!turn.taken) throw new Error('the turn was refused');
    await pacer.markSendAnswered(instance, 1000, 10_000, NOW + 250);
    await turn.lock.release();

    const first = await pacer.reserveSlot(instance, policy, DAY(NOW), NOW + 260);
    const second = await pacer.reserveSlot(instance, policy, DAY(NOW), NOW + 260);
    expect(first).toBe(NOW + 1250);
    // The gap, the planning margin and the 250 ms the last send took.
    expect(second! - first!).toBe(1000 + 100 + 250);
  });

  it('When refused turns wait in line, then each refused job is told its own time, a spacing after the one before, and is granted then', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace, Math.random, { lineRefusedTurns: true });
    const other = new InstancePacer(redisB, namespace, Math.random, { lineRefusedTurns: true });
    const turn = await pacer.takeTurn(instance, 1000, 10_000, NOW);
    if (!turn.taken) throw new Error('the turn was refused');
    await pacer.markSendAnswered(instance, 1000, 10_000, NOW + 200);
    await turn.lock.release();

    // Three jobs of an instance behind its plan wake at once: one time each, not the same for all.
    const refused = [];
    for (const asker of [pacer, other, pacer])
      refused.push(await asker.takeTurn(instance, 1000, 10_000, NOW + 300));
    // A gap after the answer, then the gap, the planning margin and the 200 ms the send took.
    expect(refused).toEqual([
      { taken: false, retryAtMs: NOW + 1200 },
      { taken: false, retryAtMs: NOW + 2500 },
      { taken: false, retryAtMs: NOW + 3800 },
    ]);
    const first = await other.takeTurn(instance, 1000, 10_000, NOW + 1200);
    expect(first).toMatchObject({ taken: true });
  });

  it('When a turn is taken late, then later reservations are spaced from the real send', async () => {
    const instance = randomUUID();
    const pacer = new InstancePacer(redisA, namespace);
    const policy = { minGapMs: 1000, jitterMs: 0, dailyCap: null };
    expect(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW)).toBe(NOW);

    const late = await pacer.takeTurn(instance, 1000, 10_000, NOW + 300);
    if (!late.taken) throw new Error('the late turn was refused');
    await late.lock.release();

    expect(await pacer.reserveSlot(instance, policy, DAY(NOW), NOW + 310)).toBe(NOW + 1300);
  });
});

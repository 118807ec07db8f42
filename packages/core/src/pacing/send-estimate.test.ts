import {
  estimateSendTimes,
  ESTIMATE_HORIZON_DAYS,
  IDLE_PACER,
  reservationDays,
  type SendEstimateInput,
  type SendPace,
} from './send-estimate';

const NAIROBI = 'Africa/Nairobi'; // UTC+3, no daylight saving
const utc = (iso: string): number => Date.parse(iso);
const iso = (times: readonly (number | null)[]): (string | null)[] =>
  times.map((time) => (time === null ? null : new Date(time).toISOString()));

const NOW = utc('2026-02-15T07:00:00Z'); // 10:00 in Nairobi
const UNPACED: SendPace = { timeZone: NAIROBI, quietHours: null, dailyCap: null, spacingMs: 0 };
const PACED: SendPace = { ...UNPACED, spacingMs: 4_000 };

function input(overrides: Partial<SendEstimateInput> = {}): SendEstimateInput {
  return { nowMs: NOW, pace: PACED, pacer: IDLE_PACER, ahead: 0, ...overrides };
}

describe('estimateSendTimes', () => {
  it('When the instance is not paced and has no quiet hours, then every message goes at once', () => {
    expect(estimateSendTimes(input({ pace: UNPACED, ahead: 5_000 }), 3)).toEqual([NOW, NOW, NOW]);
  });

  it('When the instance is not paced and it is quiet now, then every message goes when the quiet hours end', () => {
    const quiet = { ...UNPACED, quietHours: { start: '21:00', end: '07:00' } };
    const lateEvening = utc('2026-02-15T19:30:00Z'); // 22:30 in Nairobi
    expect(iso(estimateSendTimes(input({ nowMs: lateEvening, pace: quiet }), 2))).toEqual([
      '2026-02-16T04:00:00.000Z',
      '2026-02-16T04:00:00.000Z',
    ]);
  });

  it('When a paced instance is idle, then the first message goes now and the next follow at the spacing', () => {
    expect(estimateSendTimes(input(), 3)).toEqual([NOW, NOW + 4_000, NOW + 8_000]);
  });

  it('When messages without a slot wait ahead, then the new ones come after them', () => {
    expect(estimateSendTimes(input({ ahead: 10 }), 2)).toEqual([NOW + 40_000, NOW + 44_000]);
  });

  it("When the pacer's next free slot is ahead, then the messages ahead and the new ones start there", () => {
    const pacer = { ...IDLE_PACER, nextFreeMs: NOW + 60_000 };
    expect(estimateSendTimes(input({ pacer, ahead: 1 }), 1)).toEqual([NOW + 64_000]);
  });

  it("When the pacer's next free slot is behind, then it counts from now", () => {
    const pacer = { ...IDLE_PACER, nextFreeMs: NOW - 60_000 };
    expect(estimateSendTimes(input({ pacer }), 1)).toEqual([NOW]);
  });

  it('When slots were given back ahead, then they are taken first, earliest first, and the rest follow the next free slot', () => {
    const pacer = {
      ...IDLE_PACER,
      nextFreeMs: NOW + 100_000,
      givenBackMs: [NOW + 20_000, NOW + 10_000, NOW - 1],
    };
    expect(estimateSendTimes(input({ pacer }), 3)).toEqual([NOW + 10_000, NOW + 20_000, NOW + 100_000]);
  });

  it('When the backlog runs into quiet hours, then the messages after it wait for them to end', () => {
    const pace = { ...PACED, spacingMs: 3_600_000, quietHours: { start: '21:00', end: '07:00' } };
    // From 10:00 local, hourly slots fit 10:00 … 20:00 (11 of them); the twelfth waits for 07:00.
    expect(iso(estimateSendTimes(input({ pace, ahead: 10 }), 2))).toEqual([
      '2026-02-15T17:00:00.000Z',
      '2026-02-16T04:00:00.000Z',
    ]);
  });

  it("When today's cap is used up by reservations, then the next message goes on the next local day", () => {
    const pace = { ...PACED, dailyCap: 100 };
    const pacer = { ...IDLE_PACER, reservedByDay: { '2026-02-15': 100 } };
    expect(iso(estimateSendTimes(input({ pace, pacer }), 1))).toEqual(['2026-02-15T21:00:00.000Z']);
  });

  it('When the backlog is larger than a day under the cap, then the estimate walks the days at the cap', () => {
    const pace = { ...PACED, dailyCap: 5_000 };
    const times = estimateSendTimes(input({ pace, ahead: 12_000 }), 1);
    // 5,000 today, 5,000 tomorrow, and 2,000 the day after (4 s apart from local midnight).
    expect(iso(times)).toEqual([new Date(utc('2026-02-16T21:00:00Z') + 2_000 * 4_000).toISOString()]);
  });

  it('When the daily cap is 0, then no send time exists within the horizon', () => {
    const pace = { ...PACED, dailyCap: 0 };
    expect(estimateSendTimes(input({ pace }), 2)).toEqual([null, null]);
  });

  it('When the messages ahead need more than the horizon, then the rest have no estimate', () => {
    const pace = { ...PACED, dailyCap: 1 };
    const times = estimateSendTimes(input({ pace, ahead: ESTIMATE_HORIZON_DAYS - 1 }), 2);
    expect(times[0]).not.toBeNull();
    expect(times[1]).toBeNull();
  });

  it('When asked for no messages, then it answers none', () => {
    expect(estimateSendTimes(input(), 0)).toEqual([]);
  });
});

describe('reservationDays', () => {
  it("When asked at a local day's end, then the days start with that local day", () => {
    const days = reservationDays(utc('2026-02-15T20:59:00Z'), NAIROBI);
    expect(days).toHaveLength(8);
    expect(days[0]).toBe('2026-02-15');
    expect(days[7]).toBe('2026-02-22');
  });

  it('When asked again past local midnight and back, then each answer is for its own local day', () => {
    expect(reservationDays(utc('2026-02-15T20:59:00Z'), NAIROBI)[0]).toBe('2026-02-15');
    expect(reservationDays(utc('2026-02-15T21:00:00Z'), NAIROBI)[0]).toBe('2026-02-16');
    expect(reservationDays(utc('2026-02-15T20:59:59Z'), NAIROBI)[0]).toBe('2026-02-15');
    expect(reservationDays(utc('2026-02-15T21:00:00Z'), 'Africa/Lagos')[0]).toBe('2026-02-15');
  });
});

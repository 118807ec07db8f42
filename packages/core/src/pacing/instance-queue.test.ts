import { queueWaitReason } from './instance-queue';

const NAIROBI = 'Africa/Nairobi'; // UTC+3
const NOW = Date.parse('2026-02-15T10:00:00Z'); // 13:00 in Nairobi
const AHEAD = new Date(NOW + 60_000);
const PAST = new Date(NOW - 60_000);
const noQuiet = { timezone: NAIROBI, quietHours: null };
const quietNow = { timezone: NAIROBI, quietHours: { start: '12:00', end: '14:00' } };

describe('queueWaitReason', () => {
  it('When a message is held, then it waits for the number, whatever else is set', () => {
    expect(
      queueWaitReason({ heldAt: PAST, nextAttemptAt: AHEAD, lastEvent: 'retry_scheduled' }, quietNow, NOW),
    ).toBe('disconnected');
  });

  it.each([
    ['no time is set', null],
    ['its time has come', PAST],
  ])('When %s, then it is ready', (_case, nextAttemptAt) => {
    expect(queueWaitReason({ heldAt: null, nextAttemptAt, lastEvent: 'scheduled' }, quietNow, NOW)).toBe(
      'ready',
    );
  });

  it('When a retry set its time ahead, then it is retrying, even in quiet hours', () => {
    expect(
      queueWaitReason({ heldAt: null, nextAttemptAt: AHEAD, lastEvent: 'retry_scheduled' }, quietNow, NOW),
    ).toBe('retrying');
  });

  it('When it is scheduled ahead inside the instance’s quiet hours, then it waits for them to end', () => {
    expect(
      queueWaitReason({ heldAt: null, nextAttemptAt: AHEAD, lastEvent: 'scheduled' }, quietNow, NOW),
    ).toBe('quiet_hours');
  });

  it('When it is scheduled ahead outside quiet hours, then it waits for its paced slot', () => {
    expect(
      queueWaitReason({ heldAt: null, nextAttemptAt: AHEAD, lastEvent: 'scheduled' }, noQuiet, NOW),
    ).toBe('pacing');
  });
});

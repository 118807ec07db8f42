import { clockTimeProblem, nextSendingTime, sendingWindows } from './sending-windows';

const NAIROBI = 'Africa/Nairobi'; // UTC+3, no daylight saving
const utc = (iso: string): number => Date.parse(iso);

describe('sendingWindows', () => {
  it('When there are no quiet hours, then each local day is one window', () => {
    const windows = sendingWindows(utc('2026-02-15T10:00:00Z'), NAIROBI, null, 2);
    expect(windows).toEqual([
      { day: '2026-02-15', startMs: utc('2026-02-14T21:00:00Z'), endMs: utc('2026-02-15T21:00:00Z') },
      { day: '2026-02-16', startMs: utc('2026-02-15T21:00:00Z'), endMs: utc('2026-02-16T21:00:00Z') },
    ]);
  });

  it('When quiet hours span midnight, then each day sends from their end to their start, in local time', () => {
    const windows = sendingWindows(utc('2026-02-15T10:00:00Z'), NAIROBI, { start: '21:00', end: '07:00' }, 2);
    expect(windows).toEqual([
      { day: '2026-02-15', startMs: utc('2026-02-15T04:00:00Z'), endMs: utc('2026-02-15T18:00:00Z') },
      { day: '2026-02-16', startMs: utc('2026-02-16T04:00:00Z'), endMs: utc('2026-02-16T18:00:00Z') },
    ]);
  });

  it('When quiet hours sit inside the day, then the day has a window on each side', () => {
    const windows = sendingWindows(utc('2026-02-14T22:00:00Z'), NAIROBI, { start: '12:00', end: '14:00' }, 1);
    expect(windows).toEqual([
      { day: '2026-02-15', startMs: utc('2026-02-14T21:00:00Z'), endMs: utc('2026-02-15T09:00:00Z') },
      { day: '2026-02-15', startMs: utc('2026-02-15T11:00:00Z'), endMs: utc('2026-02-15T21:00:00Z') },
    ]);
  });

  it('When the clocks change, then the window follows local time', () => {
    // Europe/London moves from GMT to BST on 2026-03-29: 07:00 local is 07:00Z before, 06:00Z after.
    const windows = sendingWindows(
      utc('2026-03-28T12:00:00Z'),
      'Europe/London',
      { start: '21:00', end: '07:00' },
      2,
    );
    expect(windows.map((window) => new Date(window.startMs).toISOString())).toEqual([
      '2026-03-28T07:00:00.000Z',
      '2026-03-29T06:00:00.000Z',
    ]);
  });
});

describe('sendingWindows, asked again (the windows are kept for the local day they start on)', () => {
  const quiet = { start: '21:00', end: '07:00' };

  it('When asked later the same local day, then windows that ended are left out', () => {
    sendingWindows(utc('2026-02-15T05:00:00Z'), NAIROBI, quiet, 2);
    const evening = sendingWindows(utc('2026-02-15T19:00:00Z'), NAIROBI, quiet, 2);
    expect(evening.map((window) => window.day)).toEqual(['2026-02-16']);
  });

  it('When asked past local midnight, then the days start from the new one, and asking back still answers for the old', () => {
    const before = sendingWindows(utc('2026-02-15T20:59:00Z'), NAIROBI, null, 2);
    const after = sendingWindows(utc('2026-02-15T21:00:00Z'), NAIROBI, null, 2);
    const backAgain = sendingWindows(utc('2026-02-15T20:59:00Z'), NAIROBI, null, 2);
    expect(before.map((window) => window.day)).toEqual(['2026-02-15', '2026-02-16']);
    expect(after.map((window) => window.day)).toEqual(['2026-02-16', '2026-02-17']);
    expect(backAgain).toEqual(before);
  });

  it('When the zone or the quiet hours differ, then each gets its own windows', () => {
    const nairobi = sendingWindows(utc('2026-02-15T10:00:00Z'), NAIROBI, quiet, 1);
    const lagos = sendingWindows(utc('2026-02-15T10:00:00Z'), 'Africa/Lagos', quiet, 1);
    const lateQuiet = sendingWindows(
      utc('2026-02-15T10:00:00Z'),
      NAIROBI,
      { start: '22:00', end: '07:00' },
      1,
    );
    expect(nairobi[0]!.endMs).toBe(utc('2026-02-15T18:00:00Z'));
    expect(lagos[0]!.endMs).toBe(utc('2026-02-15T20:00:00Z'));
    expect(lateQuiet[0]!.endMs).toBe(utc('2026-02-15T19:00:00Z'));
  });
});

describe('nextSendingTime', () => {
  const quiet = { start: '21:00', end: '07:00' };

  it('When the time is outside quiet hours, then the message may go at once', () => {
    expect(nextSendingTime(utc('2026-02-15T10:00:00Z'), NAIROBI, quiet)).toBe(utc('2026-02-15T10:00:00Z'));
  });

  it('When the time is late at night, then the message waits for 07:00 local the next morning', () => {
    expect(nextSendingTime(utc('2026-02-15T20:30:00Z'), NAIROBI, quiet)).toBe(utc('2026-02-16T04:00:00Z'));
  });

  it('When the time is early in the morning, then the message waits for 07:00 local the same day', () => {
    expect(nextSendingTime(utc('2026-02-15T01:00:00Z'), NAIROBI, quiet)).toBe(utc('2026-02-15T04:00:00Z'));
  });

  it('When there are no quiet hours, then nothing waits', () => {
    expect(nextSendingTime(utc('2026-02-15T20:30:00Z'), NAIROBI, null)).toBe(utc('2026-02-15T20:30:00Z'));
  });
});

describe('clockTimeProblem', () => {
  it('When a time is HH:MM, then it is fine; otherwise it is explained', () => {
    expect(clockTimeProblem('07:00')).toBeUndefined();
    expect(clockTimeProblem('7:00')).toMatch(/HH:MM/);
    expect(clockTimeProblem('24:00')).toMatch(/HH:MM/);
  });
});

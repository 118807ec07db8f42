import { defaultExpiry } from './message-expiry';

const accepted = Date.parse('2026-02-10T09:00:00Z');

describe('defaultExpiry', () => {
  it("When a reminder has a due date, then it expires at the end of that day in the instance's zone", () => {
    expect(defaultExpiry('payment_reminder', accepted, '2026-02-15', 'Africa/Nairobi').toISOString()).toBe(
      '2026-02-15T20:59:59.999Z',
    );
  });

  it("When a reminder's due date has already passed, then the 72-hour default applies", () => {
    expect(defaultExpiry('payment_reminder', accepted, '2026-02-01', 'Africa/Nairobi').getTime()).toBe(
      accepted + 72 * 3600 * 1000,
    );
  });

  it('When other types are accepted, then they keep their documented windows', () => {
    expect((defaultExpiry('invoice', accepted, null, 'UTC').getTime() - accepted) / 3600_000).toBe(168);
    expect((defaultExpiry('overdue', accepted, '2026-02-15', 'UTC').getTime() - accepted) / 3600_000).toBe(
      72,
    );
    expect((defaultExpiry('confirmation', accepted, null, 'UTC').getTime() - accepted) / 3600_000).toBe(48);
  });
});

import { describeTestOutcome } from '../../packages/console/src/format/webhook-test-outcome';

const ids = { delivery_id: 'd', event_id: 'e' };
const attempt = { ...ids, duration_ms: 84, attempted_at: '2026-02-01T10:00:00.000Z' };

describe('The console’s words for a test event', () => {
  it('When the receiver answered 2xx, then it says delivered, with the status and the time', () => {
    expect(describeTestOutcome({ ...attempt, delivered: true, status_code: 204, error: null })).toBe(
      'Delivered: your endpoint answered HTTP 204 in 84 ms.',
    );
  });

  it('When the receiver answered otherwise, then it says not delivered and that it must answer 2xx', () => {
    expect(describeTestOutcome({ ...attempt, delivered: false, status_code: 401, error: null })).toMatch(
      /^Not delivered: your endpoint answered HTTP 401 in 84 ms; it must answer 2xx\./,
    );
  });

  it('When no answer came, then it says why', () => {
    const outcome = { ...attempt, delivered: false, status_code: null, error: 'Connection refused' };
    expect(describeTestOutcome(outcome)).toMatch(/^Not delivered: Connection refused\./);
  });

  it('When no dispatcher sent it in time, then it says it is queued and what to check', () => {
    expect(describeTestOutcome({ ...ids, detail: 'queued' })).toMatch(/queued.*dispatcher is running/);
  });
});

import { parseDueDate } from './due-date';

describe('parseDueDate', () => {
  it.each([
    ['2026-02-15', '2026-02-15'],
    ['2028-02-29', '2028-02-29'],
    ['2026-02-15T09:30:00Z', '2026-02-15'],
    ['2026-02-15T23:59:59+03:00', '2026-02-15'],
    ['2026-02-15T09:30', '2026-02-15'],
  ])('When %s arrives, then the due date is %s', (raw, expected) => {
    expect(parseDueDate(raw)).toBe(expected);
  });

  it.each([
    ['2026-02-30'],
    ['2027-02-29'],
    ['2026-13-01'],
    ['15/02/2026'],
    ['2026-2-5'],
    ['tomorrow'],
    ['2026-02-15T25:00'],
  ])('When %s arrives, then it is not a date', (raw) => {
    expect(parseDueDate(raw)).toBeUndefined();
  });
});

import { normalizePhoneNumber } from './phone';

describe('normalizePhoneNumber', () => {
  it.each([
    ['254712345678', undefined, '254712345678'],
    ['+254 712 345 678', undefined, '254712345678'],
    ['+254-712-345-678', undefined, '254712345678'],
    ['(254) 712.345.678', undefined, '254712345678'],
    ['00254712345678', undefined, '254712345678'],
    ['0712345678', 'KE', '254712345678'],
    ['0712 345 678', 'ke', '254712345678'],
    ['+1 (415) 555-2671', undefined, '14155552671'],
  ])('When %s arrives (instance country %s), then it becomes %s', (raw, country, expected) => {
    expect(normalizePhoneNumber(raw, country)).toEqual({ ok: true, digits: expected });
  });

  it('When a local number arrives for an instance without a country, then the problem says to add the code', () => {
    const result = normalizePhoneNumber('0712345678');
    expect(result.ok).toBe(false);
    expect(!result.ok && result.problem).toMatch(/country code/);
  });

  it.each([['25471234'], ['2547123456789999'], ['abc'], ['254-71x-345'], [''], ['+']])(
    'When %p arrives, then it is refused',
    (raw) => {
      expect(normalizePhoneNumber(raw).ok).toBe(false);
    },
  );
});

import { amountProblem, currencyMinorDigits, decimalsOf, formatMoney } from './money';

describe('formatMoney', () => {
  it.each([
    ['1500', 'KES', 'KES 1,500.00'],
    ['1500.0000', 'KES', 'KES 1,500.00'],
    ['1500', 'JPY', 'JPY 1,500'],
    ['1.5', 'KWD', 'KWD 1.500'],
    ['1234567.89', 'USD', 'USD 1,234,567.89'],
    ['0.1', 'EUR', 'EUR 0.10'],
    ['999999999999.99', 'USD', 'USD 999,999,999,999.99'],
  ])('When %s %s is formatted, then it reads %s', (amount, currency, expected) => {
    expect(formatMoney(amount, currency)).toBe(expected);
  });

  it('When given a number instead of decimal text, then it formats the same', () => {
    expect(formatMoney(1500, 'KES')).toBe('KES 1,500.00');
  });
});

describe('currencyMinorDigits', () => {
  it('When the code is a current ISO 4217 currency, then its minor digits come back', () => {
    expect([currencyMinorDigits('KES'), currencyMinorDigits('JPY'), currencyMinorDigits('KWD')]).toEqual([
      2, 0, 3,
    ]);
  });

  it('When the code is not money one bills in, then it is refused', () => {
    expect([currencyMinorDigits('XAU'), currencyMinorDigits('XTS'), currencyMinorDigits('ABC')]).toEqual([
      undefined,
      undefined,
      undefined,
    ]);
  });
});

describe('amountProblem', () => {
  it('When the amount fits the currency, then there is no problem', () => {
    expect(amountProblem(1500.5, 'KES')).toBeUndefined();
    expect(amountProblem(1500, 'JPY')).toBeUndefined();
    expect(amountProblem(1.234, 'KWD')).toBeUndefined();
  });

  it('When the amount has more decimals than the currency allows, then the problem names the limit', () => {
    expect(amountProblem(10.005, 'KES')).toBe('must have at most 2 decimal places for KES');
    expect(amountProblem(10.5, 'JPY')).toBe('must be a whole number for JPY');
  });

  it('When the amount is zero, negative or not finite, then it is refused', () => {
    expect(amountProblem(0, 'KES')).toBe('must be greater than 0');
    expect(amountProblem(-5, 'KES')).toBe('must be greater than 0');
    expect(amountProblem(Number.POSITIVE_INFINITY, 'KES')).toBe('must be a finite number');
    expect(amountProblem(1e13, 'KES')).toMatch(/must not exceed/);
  });

  it('When a tiny amount would print in exponent form, then its decimals count as too many', () => {
    expect(decimalsOf(1e-7)).toBe(Number.POSITIVE_INFINITY);
    expect(amountProblem(1e-7, 'KES')).toMatch(/decimal places/);
  });
});

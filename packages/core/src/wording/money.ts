import { code as currencyByCode } from 'currency-codes';

/** Largest amount accepted: far above any bill, and small enough to stay exact as a JS number. */
export const MAX_AMOUNT = 1_000_000_000_000;

/**
 * Digits after the decimal point that ISO 4217 allows for a currency (KES 2, JPY 0, KWD 3), or
 * undefined when the code is not a current ISO 4217 currency.
 */
export function currencyMinorDigits(currency: string): number | undefined {
  if (NOT_MONEY.has(currency)) return undefined;
  const entry = currencyByCode(currency);
  return entry && Number.isInteger(entry.digits) ? entry.digits : undefined;
}

/**
 * Codes ISO 4217 lists without a minor unit because they are not money one bills in: precious
 * metals, bond-market units, special drawing rights, and the testing and "no currency" codes.
 */
const NOT_MONEY: ReadonlySet<string> = new Set([
  'XAG',
  'XAU',
  'XPD',
  'XPT',
  'XBA',
  'XBB',
  'XBC',
  'XBD',
  'XDR',
  'XSU',
  'XUA',
  'XTS',
  'XXX',
]);

/**
 * Number of decimals in a finite number as written in its shortest round-trip form, which is what
 * the client's JSON said (`1500.10` arrives as 1500.1 → 1 decimal).
 */
export function decimalsOf(amount: number): number {
  const text = String(amount);
  if (text.includes('e') || text.includes('E')) return Number.POSITIVE_INFINITY;
  const point = text.indexOf('.');
  return point === -1 ? 0 : text.length - point - 1;
}

/** Why an amount is unacceptable for a currency, or undefined when it is fine. */
export function amountProblem(amount: number, currency: string): string | undefined {
  if (!Number.isFinite(amount)) return 'must be a finite number';
  if (amount <= 0) return 'must be greater than 0';
  if (amount > MAX_AMOUNT) return `must not exceed ${MAX_AMOUNT}`;
  const digits = currencyMinorDigits(currency);
  if (digits === undefined) return undefined; // the currency field reports its own error
  if (decimalsOf(amount) > digits) {
    return digits === 0
      ? `must be a whole number for ${currency}`
      : `must have at most ${digits} decimal place${digits === 1 ? '' : 's'} for ${currency}`;
  }
  return undefined;
}

/**
 * Plain decimal text of an amount for storage in a `numeric` column (never a float in storage).
 * Callers validate with {@link amountProblem} first, so exponent notation cannot occur.
 */
export function amountToDecimalString(amount: number): string {
  return String(amount);
}

const formatters = new Map<number, Intl.NumberFormat>();

function formatterFor(digits: number): Intl.NumberFormat {
  let formatter = formatters.get(digits);
  if (!formatter) {
    formatter = new Intl.NumberFormat('en-US', {
      useGrouping: true,
      minimumFractionDigits: digits,
      maximumFractionDigits: digits,
    });
    formatters.set(digits, formatter);
  }
  return formatter;
}

/**
 * Formats an amount the way the guide's templates show it: the code, a space, grouped digits and
 * exactly the currency's minor digits (`KES 1,500.00`, `JPY 1,500`, `KWD 1.500`). Accepts the
 * decimal string from Postgres so no float rounding creeps in.
 */
export function formatMoney(amount: string | number, currency: string): string {
  const digits = currencyMinorDigits(currency) ?? 2;
  // Intl formats decimal strings exactly (ES2023 NumberFormat v3), keeping numeric precision.
  const value = typeof amount === 'string' ? (amount as `${number}`) : amount;
  return `${currency} ${formatterFor(digits).format(value)}`;
}

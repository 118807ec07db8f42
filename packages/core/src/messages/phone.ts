import { parsePhoneNumberFromString, type CountryCode } from 'libphonenumber-js/max';

/** The outcome of normalising a phone number as billing systems send it. */
export type PhoneResult =
  { readonly ok: true; readonly digits: string } | { readonly ok: false; readonly problem: string };

const SEPARATORS = /[\s\-().]/g;

/**
 * Normalises a customer's number to what Evolution expects: the country code and number as digits
 * only (`254712345678`). Spaces, dashes, dots and parentheses are dropped; a leading `+` or `00` is
 * the international prefix; a leading single `0` is a local number and takes the instance's country.
 * The result is validated against libphonenumber's full metadata, so a number with the wrong length
 * for its country is refused here rather than failing later at WhatsApp.
 */
export function normalizePhoneNumber(raw: string, defaultCountry?: string): PhoneResult {
  // Billing systems send the same customers' numbers run after run; parsing one costs far more
  // than remembering it. Bounded: the memory starts over past NORMALISED_KEPT numbers.
  const key = `${defaultCountry ?? ''}|${raw}`;
  const known = normalised.get(key);
  if (known) return known;
  const result = normalise(raw, defaultCountry);
  if (normalised.size >= NORMALISED_KEPT) normalised.clear();
  normalised.set(key, result);
  return result;
}

const NORMALISED_KEPT = 10_000;
const normalised = new Map<string, PhoneResult>();

function normalise(raw: string, defaultCountry?: string): PhoneResult {
  const compact = raw.trim().replace(SEPARATORS, '');
  if (compact.length === 0) return { ok: false, problem: 'must not be empty' };
  if (!/^\+?\d+$/.test(compact)) {
    return {
      ok: false,
      problem: 'must contain only digits, optionally with spaces, dashes, parentheses and a leading +',
    };
  }
  const digits = compact.replace(/^\+/, '');
  let parsed;
  if (digits.startsWith('00')) {
    parsed = parsePhoneNumberFromString(`+${digits.slice(2)}`);
  } else if (digits.startsWith('0') && !compact.startsWith('+')) {
    if (!defaultCountry) {
      return {
        ok: false,
        problem:
          'is a local number (leading 0) but the instance has no country set; send it with the country code, e.g. 254712345678',
      };
    }
    parsed = parsePhoneNumberFromString(digits, defaultCountry.toUpperCase() as CountryCode);
  } else {
    parsed = parsePhoneNumberFromString(`+${digits}`);
  }
  if (!parsed || !parsed.isValid()) {
    return {
      ok: false,
      problem: 'is not a valid phone number; use the country code and number, e.g. 254712345678',
    };
  }
  return { ok: true, digits: parsed.number.slice(1) };
}

/** True when the value is an ISO 3166-1 alpha-2 region libphonenumber knows a calling code for. */
export { isSupportedCountry } from 'libphonenumber-js/max';

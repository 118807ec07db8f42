import { isSupportedCountry } from '@telenexus/core';

/** Why a country code is unusable, or undefined when it is fine. */
export function countryProblem(country: string): string | undefined {
  return /^[A-Z]{2}$/.test(country) && isSupportedCountry(country)
    ? undefined
    : 'must be an ISO 3166-1 alpha-2 country code with a phone calling code, e.g. KE';
}

/** Why a time zone is unusable, or undefined when it is a real IANA zone. */
export function timezoneProblem(timezone: string): string | undefined {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: timezone });
    return undefined;
  } catch {
    return 'must be an IANA time zone, e.g. Africa/Nairobi';
  }
}

/** Evolution instance names appear in URL paths; keep to what is safe there. */
export function evolutionInstanceNameProblem(name: string): string | undefined {
  return /^[A-Za-z0-9][A-Za-z0-9_.-]{0,99}$/.test(name)
    ? undefined
    : 'must be 1–100 letters, digits, dots, dashes or underscores';
}

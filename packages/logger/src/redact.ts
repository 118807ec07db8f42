/** Field names whose values never reach a log, wherever they appear (compared case-insensitively). */
const SECRET_FIELDS = new Set(
  [
    'authorization',
    'apikey',
    'api_key',
    'x-api-key',
    'secret',
    'previoussecret',
    'previous_secret',
    'token',
    'password',
    'jwt',
    'jwt_key',
    'evolutiontoken',
    'evolution_token',
    'admin_key',
    'jwtkey',
    'webhookjwtkey',
    'webhook_jwt_key',
    'webhooktoken',
    'webhook_token',
    'secrets_key',
    'secretskey',
  ].map((name) => name.toLowerCase()),
);

/** Personal data of our customers' customers: masked rather than dropped, so lines stay readable. */
const PERSONAL_FIELDS = new Set(
  [
    'phone',
    'phone_number',
    'phonenumber',
    'number',
    'remotejid',
    'text',
    'body',
    'customer_name',
    'customername',
  ].map((name) => name.toLowerCase()),
);

const API_KEY_PATTERN = /tnx_[A-Za-z0-9_-]{4,}/g;
const BEARER_PATTERN = /Bearer\s+[A-Za-z0-9._~+/=-]+/gi;
// Standard base64 (`+`, `/`, `=`) as minted now, base64url as minted before Standard Webhooks.
const WEBHOOK_SECRET_PATTERN = /whsec_[A-Za-z0-9+/_=-]{4,}/g;
/** A stored secret's ciphertext (`enc:v1:<keyId>:<data>`): no use to a reader, so none in a log. */
const CIPHERTEXT_PATTERN = /enc:v1:([A-Za-z0-9_-]+):[A-Za-z0-9_-]+/g;
/**
 * A `token` parameter in a URL or form (the URL gateway's key), whatever it holds: a mistyped key is
 * still somebody's key.
 */
const TOKEN_PARAMETER_PATTERN = /([?&;]token=)[^&;#\s"']*/gi;
/**
 * Phone-like runs of 9–15 digits inside free text (error messages quoting a JID, say). A run that
 * touches letters, digits, dots or hyphens is part of something else (a UUID, a hex id, a version)
 * and is left alone, so ids stay searchable.
 */
const PHONE_PATTERN = /(?<![\w.-])\+?\d{9,15}(?![\w.-])/g;

export const REDACTED = '[redacted]';

function redactText(text: string): string {
  return text
    .replace(TOKEN_PARAMETER_PATTERN, '$1[redacted]')
    .replace(API_KEY_PATTERN, 'tnx_[redacted]')
    .replace(BEARER_PATTERN, 'Bearer [redacted]')
    .replace(WEBHOOK_SECRET_PATTERN, 'whsec_[redacted]')
    .replace(CIPHERTEXT_PATTERN, 'enc:v1:$1:[redacted]')
    .replace(PHONE_PATTERN, (digits) => `${digits.slice(0, 3)}…[redacted]`);
}

/**
 * Returns a copy of a log value with secrets removed and personal data masked, however nested.
 * Strings are scanned too, because errors quote what they failed on.
 */
export function redact(value: unknown, depth = 0): unknown {
  if (typeof value === 'string') return redactText(value);
  if (value === null || typeof value !== 'object' || depth > 8) return value;
  if (value instanceof Date) return value;
  if (Array.isArray(value)) return value.map((item) => redact(item, depth + 1));
  if (value instanceof Error) {
    return {
      name: value.name,
      message: redactText(value.message),
      stack: value.stack && redactText(value.stack),
    };
  }
  const copy: Record<string, unknown> = {};
  for (const [field, inner] of Object.entries(value)) {
    const lowered = field.toLowerCase();
    if (SECRET_FIELDS.has(lowered)) copy[field] = inner === null || inner === undefined ? inner : REDACTED;
    else if (PERSONAL_FIELDS.has(lowered) && typeof inner === 'string') copy[field] = REDACTED;
    else copy[field] = redact(inner, depth + 1);
  }
  return copy;
}

/**
 * Text that is safe to store and to put in a WhatsApp message: no control characters (NUL breaks
 * Postgres, line breaks break a template's layout), no lone surrogates (not valid UTF-8, refused by
 * jsonb), no Unicode line or paragraph separators, and no bidirectional overrides (which can make
 * an invoice number read as something else).
 */
export const SAFE_TEXT = /^[^\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069]*$/u;

export const UNSAFE_TEXT_MESSAGE = 'must not contain control characters, line breaks or direction overrides';

export function isSafeText(text: string): boolean {
  return SAFE_TEXT.test(text);
}

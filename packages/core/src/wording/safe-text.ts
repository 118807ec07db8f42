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

/**
 * A whole message's text (a `text` message): safe as {@link SAFE_TEXT}, except that line breaks and
 * tabs are allowed, since they are a message's own layout rather than a break in ours (a `\r` is
 * made a line break by {@link withNewlines}).
 */
const SAFE_MESSAGE_TEXT = /^(?:[\n\r\t]|[^\p{Cc}\p{Cs}\p{Zl}\p{Zp}\u202A-\u202E\u2066-\u2069])*$/u;

export const UNSAFE_MESSAGE_TEXT_MESSAGE =
  'must not contain control characters other than line breaks and tabs, nor direction overrides';

/** A message's line breaks as WhatsApp writes them: `\r\n` and a lone `\r` become `\n`. */
export function withNewlines(text: string): string {
  return text.replace(/\r\n?/g, '\n');
}

export function isSafeMessageText(text: string): boolean {
  return SAFE_MESSAGE_TEXT.test(text);
}

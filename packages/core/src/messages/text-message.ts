import { withNewlines } from '../wording/safe-text';

/** The most characters (code points) a `text` message may carry: WhatsApp's own limit for one text. */
export const MAX_TEXT_MESSAGE_CHARACTERS = 4096;

/** Characters as people count them: code points, so an emoji is one (not two UTF-16 units). */
export function characterCount(text: string): number {
  return [...text].length;
}

/**
 * A billing system's own text as it is sent: line breaks as WhatsApp writes them (`\n`), or the
 * reason it cannot be sent. Characters are counted as people count them (code points, so an emoji
 * is one), not as UTF-16 units.
 */
export function textMessage(raw: string): { readonly text: string } | { readonly problem: string } {
  const text = withNewlines(raw);
  if (text.trim().length === 0) return { problem: 'must not be empty' };
  const length = characterCount(text);
  if (length > MAX_TEXT_MESSAGE_CHARACTERS)
    return { problem: `must be at most ${MAX_TEXT_MESSAGE_CHARACTERS} characters (got ${length})` };
  return { text };
}

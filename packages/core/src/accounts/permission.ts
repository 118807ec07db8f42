/**
 * What an API key may do. `admin` manages keys and instances of its account; `support` reads its
 * account's instances, messages, batches and queues in the console, and changes nothing.
 * `send_text` is the URL gateway's alone (`/api/v1/gateway/send`), the one route whose key may travel
 * in a query string; no other route accepts it, so such a key can do nothing else if it leaks.
 */
export const PERMISSIONS = ['send_message', 'receive_message', 'admin', 'support', 'send_text'] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

/**
 * What an API key may do. `admin` manages keys and instances of its account; `support` reads its
 * account's instances, messages, batches and queues in the console, and changes nothing.
 */
export const PERMISSIONS = ['send_message', 'receive_message', 'admin', 'support'] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

/** What an API key may do. `admin` manages keys and instances of its account. */
export const PERMISSIONS = ['send_message', 'receive_message', 'admin'] as const;

export type Permission = (typeof PERMISSIONS)[number];

export function isPermission(value: unknown): value is Permission {
  return typeof value === 'string' && (PERMISSIONS as readonly string[]).includes(value);
}

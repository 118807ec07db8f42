import type { ConsoleSignIn } from '@telenexus/api-contract';

/** Which console the signed-in key gets, as the sign-in route answered it. */
export type ConsoleRole = ConsoleSignIn['role'];

/** What a signed-in tab remembers: the key, and the role it signed in with. */
export interface StoredSession {
  readonly apiKey: string;
  readonly role: ConsoleRole;
}

/**
 * The signed-in key lives in this tab's sessionStorage only: it is gone when the tab closes,
 * other tabs and sites never see it, and it is never a cookie, so no request carries it unasked.
 * The role only shapes the pages; the API checks every request's permissions itself.
 */
const STORAGE_KEY = 'telenexus.console.session';

export function loadSession(): StoredSession | null {
  try {
    const stored: unknown = JSON.parse(sessionStorage.getItem(STORAGE_KEY) ?? 'null');
    if (typeof stored !== 'object' || stored === null) return null;
    const { apiKey, role } = stored as Partial<StoredSession>;
    return typeof apiKey === 'string' && (role === 'admin' || role === 'support') ? { apiKey, role } : null;
  } catch {
    return null; // storage disabled or unreadable: the user signs in again
  }
}

export function saveSession(session: StoredSession): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, JSON.stringify(session));
  } catch {
    // Storage disabled: the key stays in memory for this page only.
  }
}

export function forgetSession(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}

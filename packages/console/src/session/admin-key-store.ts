/**
 * The signed-in admin key lives in this tab's sessionStorage only: it is gone when the tab closes,
 * other tabs and sites never see it, and it is never a cookie, so no request carries it unasked.
 */
const STORAGE_KEY = 'telenexus.console.adminKey';

export function loadAdminKey(): string | null {
  try {
    return sessionStorage.getItem(STORAGE_KEY);
  } catch {
    return null; // storage disabled: the user signs in again on each load
  }
}

export function saveAdminKey(key: string): void {
  try {
    sessionStorage.setItem(STORAGE_KEY, key);
  } catch {
    // Storage disabled: the key stays in memory for this page only.
  }
}

export function forgetAdminKey(): void {
  try {
    sessionStorage.removeItem(STORAGE_KEY);
  } catch {
    // Nothing was stored.
  }
}

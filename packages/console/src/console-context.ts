import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client';
import type { ConsoleRole } from './session/session-store';

/** What every signed-in page shares: the API client with the key, its role, and signing out. */
export interface ConsoleSession {
  readonly api: ApiClient;
  readonly role: ConsoleRole;
  /** Support staff's console: it shows, and offers no change. */
  readonly readOnly: boolean;
  readonly signOut: () => void;
}

export const ConsoleContext = createContext<ConsoleSession | null>(null);

export function useConsole(): ConsoleSession {
  const session = useContext(ConsoleContext);
  if (!session) throw new Error('useConsole is used outside a signed-in console');
  return session;
}

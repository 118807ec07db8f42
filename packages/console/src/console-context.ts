import { createContext } from 'preact';
import { useContext } from 'preact/hooks';
import type { ApiClient } from './api/api-client';

/** What every signed-in page shares: the API client with the admin key, and signing out. */
export interface ConsoleSession {
  readonly api: ApiClient;
  readonly signOut: () => void;
}

export const ConsoleContext = createContext<ConsoleSession | null>(null);

export function useConsole(): ConsoleSession {
  const session = useContext(ConsoleContext);
  if (!session) throw new Error('useConsole is used outside a signed-in console');
  return session;
}

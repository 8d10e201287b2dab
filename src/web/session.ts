import { createContext, useContext } from 'react';
import type { SessionInfo } from './api.js';

export interface SessionContextValue {
  session: SessionInfo;
  logout: () => Promise<void>;
  refresh: () => Promise<void>;
}

export const SessionContext = createContext<SessionContextValue | null>(null);

export function useSession(): SessionContextValue {
  const s = useContext(SessionContext);
  if (!s) throw new Error('useSession outside the logged-in app');
  return s;
}

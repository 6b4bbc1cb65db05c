import { useSyncExternalStore } from 'react';
import type { ThemePreference } from '../../../shared/contract/schemas';

const query = '(prefers-color-scheme: dark)';

function subscribe(onChange: () => void): () => void {
  const media = window.matchMedia(query);
  media.addEventListener('change', onChange);
  return () => {
    media.removeEventListener('change', onChange);
  };
}

/** Whether to render dark: the user's choice, or the OS setting live when the choice is "system". */
export function useIsDark(preference: ThemePreference): boolean {
  const systemDark = useSyncExternalStore(subscribe, () => window.matchMedia(query).matches);
  return preference === 'dark' || (preference === 'system' && systemDark);
}

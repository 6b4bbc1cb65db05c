import { useCallback, useEffect, useState } from 'react';
import { toContractError } from '../../../shared/contract/client';
import type { AppInfo, Settings } from '../../../shared/contract/schemas';
import { useClient } from './client-context';

export type AppState =
  | { status: 'loading' }
  | { status: 'ready'; info: AppInfo; settings: Settings }
  | { status: 'failed'; messageKey: string };

/**
 * App-wide store: host info and settings, kept in sync with `settings:changed`.
 */
export function useAppState(): { state: AppState; updateSettings: (patch: Partial<Settings>) => Promise<void> } {
  const client = useClient();
  const [state, setState] = useState<AppState>({ status: 'loading' });

  useEffect(() => {
    let isCurrent = true;
    const load = async () => {
      try {
        const [info, settings] = await Promise.all([client.invoke('app:get-info'), client.invoke('settings:get')]);
        if (isCurrent) {
          setState({ status: 'ready', info, settings });
        }
      } catch (error) {
        const { messageKey } = toContractError(error);
        if (isCurrent) {
          setState({ status: 'failed', messageKey });
        }
      }
    };
    void load();
    const unsubscribe = client.on('settings:changed', (settings) => {
      setState((previous) => (previous.status === 'ready' ? { ...previous, settings } : previous));
    });
    return () => {
      isCurrent = false;
      unsubscribe();
    };
  }, [client]);

  const updateSettings = useCallback(
    async (patch: Partial<Settings>) => {
      const settings = await client.invoke('settings:update', patch);
      setState((previous) => (previous.status === 'ready' ? { ...previous, settings } : previous));
    },
    [client],
  );

  return { state, updateSettings };
}

import { useCallback, useEffect, useMemo, useReducer } from 'react';
import { useTranslation } from 'react-i18next';
import type { DemoCardProfile } from '../../../../shared/contract/cards';
import { toContractError } from '../../../../shared/contract/client';
import { useClient } from '../../app/client-context';
import { deskReducer, initialDeskState } from './state/desk-state';
import type { DeskState } from './state/desk-state';
import { DEMO_READER_NAME, displayDeskState, technicalReaderName } from './state/reader-display';

export type DeskActions = {
  read: (reader: string) => Promise<void>;
  insertDemoCard: (profile: DemoCardProfile) => Promise<void>;
  removeDemoCard: () => Promise<void>;
};

/**
 * Store of the Guichet: the status snapshot, then every card event pushed by the main process.
 */
export function useDesk(): { state: DeskState; actions: DeskActions } {
  const client = useClient();
  const { t } = useTranslation();
  const [state, dispatch] = useReducer(deskReducer, initialDeskState);
  // The demo reader keeps its technical name on the wire; the UI shows and announces it in the current language.
  const display = useCallback(
    (reader: string) => (reader === DEMO_READER_NAME ? t('desk.demoReaderName') : reader),
    [t],
  );

  useEffect(() => {
    const unsubscribers = [
      client.on('cards:status-changed', (status) => {
        dispatch({ type: 'status', status });
      }),
      client.on('cards:read-started', ({ reader }) => {
        dispatch({ type: 'read-started', reader });
      }),
      client.on('cards:read-succeeded', (report) => {
        dispatch({ type: 'read-succeeded', report });
      }),
      client.on('cards:read-failed', (failure) => {
        dispatch({ type: 'read-failed', failure });
      }),
    ];
    void client.invoke('cards:get-status').then((status) => {
      dispatch({ type: 'status', status });
    });
    return () => {
      unsubscribers.forEach((unsubscribe) => {
        unsubscribe();
      });
    };
  }, [client]);

  const read = useCallback(
    async (shown: string) => {
      const reader = technicalReaderName(state, shown, display);
      try {
        await client.invoke('cards:read', { reader });
      } catch (error) {
        dispatch({
          type: 'read-failed',
          failure: { reader, error: toContractError(error), willRetryOnReinsert: false },
        });
      }
    },
    [client, state, display],
  );

  const insertDemoCard = useCallback(
    async (profile: DemoCardProfile) => {
      await client.invoke('demo:insert-card', { profile });
    },
    [client],
  );

  const removeDemoCard = useCallback(async () => {
    await client.invoke('demo:remove-card');
  }, [client]);

  const shownState = useMemo(() => displayDeskState(state, display), [state, display]);
  return { state: shownState, actions: { read, insertDemoCard, removeDemoCard } };
}

import { useCallback, useEffect, useReducer } from 'react';
import type { DemoCardProfile } from '../../../../shared/contract/cards';
import { toContractError } from '../../../../shared/contract/client';
import { useClient } from '../../app/client-context';
import { deskReducer, initialDeskState } from './state/desk-state';
import type { DeskState } from './state/desk-state';

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
  const [state, dispatch] = useReducer(deskReducer, initialDeskState);

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
    async (reader: string) => {
      try {
        await client.invoke('cards:read', { reader });
      } catch (error) {
        dispatch({
          type: 'read-failed',
          failure: { reader, error: toContractError(error), willRetryOnReinsert: false },
        });
      }
    },
    [client],
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

  return { state, actions: { read, insertDemoCard, removeDemoCard } };
}

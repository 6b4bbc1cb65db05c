import { useCallback, useEffect, useState } from 'react';
import type { AccountState, DeviceCodePromptView, SignInInput } from '../../../../shared/contract/account';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { useClient } from '../../app/client-context';

/** Account store: who is signed in, the device-code prompt while one is pending, and the last sign-in error. */
export type AccountStore = {
  state: AccountState | null;
  isBusy: boolean;
  deviceCode: DeviceCodePromptView | null;
  error: ContractError | null;
  signIn: (input: SignInInput) => Promise<boolean>;
  signOut: (homeAccountId?: string) => Promise<void>;
  /** Switches account, or tenant of the same person (a guest tenant) when `tenantId` is given. */
  switchTo: (homeAccountId: string, tenantId?: string) => Promise<void>;
  /** Stops a sign-in in flight (browser page left open, device code never entered); it ends as `identity.cancelled`. */
  cancelSignIn: () => Promise<void>;
  clearError: () => void;
};

/** Hook over the `account:*` channels and events. */
export function useAccount(): AccountStore {
  const client = useClient();
  const [state, setState] = useState<AccountState | null>(null);
  const [isBusy, setBusy] = useState(false);
  const [deviceCode, setDeviceCode] = useState<DeviceCodePromptView | null>(null);
  const [error, setError] = useState<ContractError | null>(null);

  useEffect(() => {
    const unsubscribeChanged = client.on('account:changed', setState);
    const unsubscribeCode = client.on('account:device-code', setDeviceCode);
    client.invoke('account:get-state').then(setState, (failure: unknown) => {
      setError(toContractError(failure));
    });
    return () => {
      unsubscribeChanged();
      unsubscribeCode();
    };
  }, [client]);

  const run = useCallback(async (action: () => Promise<AccountState>): Promise<boolean> => {
    setBusy(true);
    setError(null);
    try {
      setState(await action());
      return true;
    } catch (failure) {
      setError(toContractError(failure));
      return false;
    } finally {
      setBusy(false);
      setDeviceCode(null);
    }
  }, []);

  return {
    state,
    isBusy,
    deviceCode,
    error,
    signIn: (input) => run(() => client.invoke('account:sign-in', input)),
    signOut: async (homeAccountId) => {
      await run(() => client.invoke('account:sign-out', homeAccountId === undefined ? undefined : { homeAccountId }));
    },
    switchTo: async (homeAccountId, tenantId) => {
      await run(() =>
        client.invoke('account:switch', tenantId === undefined ? { homeAccountId } : { homeAccountId, tenantId }),
      );
    },
    cancelSignIn: async () => {
      try {
        await client.invoke('account:cancel-sign-in');
      } catch (failure) {
        setError(toContractError(failure));
      }
    },
    clearError: () => {
      setError(null);
    },
  };
}

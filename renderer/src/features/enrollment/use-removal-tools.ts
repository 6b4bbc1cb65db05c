import { useState } from 'react';
import type {
  DirectoryUserView,
  EnrollmentOutcome,
  RemovalPlanView,
  RemovalReason,
  RemovalTarget,
} from '../../../../shared/contract/enrollment';
import { toContractError } from '../../../../shared/contract/client';
import type { ContractError } from '../../../../shared/contract/envelope';
import { useClient } from '../../app/client-context';

/** Base64 of a certificate file: the PEM body as is, or the DER bytes encoded. */
export function certificateFileToBase64(bytes: Uint8Array): string {
  const text = new TextDecoder('latin1').decode(bytes);
  const pem = /-----BEGIN CERTIFICATE-----([\s\S]+?)-----END CERTIFICATE-----/.exec(text);
  if (pem?.[1] !== undefined) {
    return pem[1].replace(/\s+/g, '');
  }
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** State of the removal tools (no card inserted: by loaded certificate or by user). */
export type RemovalToolsState = {
  mode: 'certificate' | 'user';
  derBase64: string | null;
  users: DirectoryUserView[] | null;
  userId: string | null;
  picked: string[];
  reason: RemovalReason;
  plan: RemovalPlanView | null;
  outcome: EnrollmentOutcome | null;
  error: ContractError | null;
  busy: boolean;
};

const initial: RemovalToolsState = {
  mode: 'certificate',
  derBase64: null,
  users: null,
  userId: null,
  picked: [],
  reason: 'other',
  plan: null,
  outcome: null,
  error: null,
  busy: false,
};

/** Find the account (holders of a loaded certificate, or a user search), preview the removal, confirm it. */
export function useRemovalTools() {
  const client = useClient();
  const [state, setState] = useState<RemovalToolsState>(initial);
  const patch = (next: Partial<RemovalToolsState>) => {
    setState((previous) => ({ ...previous, ...next }));
  };

  const run = async <T>(call: () => Promise<T>, onDone: (value: T) => Partial<RemovalToolsState>) => {
    setState((previous) => ({ ...previous, busy: true, error: null }));
    try {
      const value = await call();
      setState((previous) => ({ ...previous, ...onDone(value), busy: false }));
    } catch (error) {
      setState((previous) => ({ ...previous, busy: false, error: toContractError(error) }));
    }
  };

  const target = (): RemovalTarget | null => {
    const user = state.users?.find((u) => u.id === state.userId);
    if (user === undefined) {
      return null;
    }
    const common = { userId: user.id, userPrincipalName: user.userPrincipalName, reason: state.reason };
    if (state.mode === 'certificate' && state.derBase64 !== null) {
      return { ...common, source: { kind: 'certificate', derBase64: state.derBase64 } };
    }
    return state.picked.length > 0 ? { ...common, values: state.picked } : null;
  };

  return {
    state,
    setMode: (mode: RemovalToolsState['mode']) => {
      setState({ ...initial, mode });
    },
    /** A certificate file was picked: keep its base64 and look for the accounts holding its values. */
    loadCertificate: async (file: File) => {
      const derBase64 = certificateFileToBase64(new Uint8Array(await file.arrayBuffer()));
      patch({ derBase64, users: null, userId: null, plan: null, outcome: null });
      await run(
        () => client.invoke('enrollment:find-holders', { source: { kind: 'certificate', derBase64 } }),
        (found) => ({ users: found.users, userId: found.users[0]?.id ?? null }),
      );
    },
    searchUsers: (query: string) =>
      run(
        () => client.invoke('enrollment:search-users', { query: query.trim() }),
        (found) => ({ users: found.users, userId: null, picked: [], plan: null, outcome: null }),
      ),
    selectUser: (userId: string) => {
      patch({ userId, picked: [], plan: null, outcome: null });
    },
    togglePicked: (value: string, on: boolean) => {
      setState((previous) => ({
        ...previous,
        plan: null,
        picked: on ? [...previous.picked, value] : previous.picked.filter((v) => v !== value),
      }));
    },
    setReason: (reason: RemovalReason) => {
      patch({ reason, plan: null });
    },
    preview: () => {
      const t = target();
      return t === null
        ? Promise.resolve()
        : run(
            () => client.invoke('enrollment:plan-removal', t),
            (plan) => ({ plan, outcome: null }),
          );
    },
    confirm: () => {
      const t = target();
      return t === null
        ? Promise.resolve()
        : run(
            () => client.invoke('enrollment:remove', t),
            (outcome) => ({ outcome, plan: null }),
          );
    },
    cancel: () => {
      patch({ plan: null });
    },
    canPreview: target() !== null,
  };
}

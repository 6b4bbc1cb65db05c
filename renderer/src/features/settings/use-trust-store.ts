import { useCallback, useEffect, useState } from 'react';
import type { CaCandidate, CrlUpdateOutcome, TrustStoreView } from '../../../../shared/contract/cards';
import { MAX_CRL_IMPORT_BYTES, MAX_TRUST_IMPORT_BYTES } from '../../../../shared/contract/cards';
import type { ContractError } from '../../../../shared/contract/envelope';
import { ContractFailure, toContractError } from '../../../../shared/contract/client';
import { useClient } from '../../app/client-context';

/** A CA file waiting for the user to confirm the unknown authorities it holds. */
export type PendingCaImport = { fileName: string; contentBase64: string; candidates: CaCandidate[] };

/** What the trust-store section renders. */
export type TrustStoreState = {
  store: TrustStoreView | null;
  busy: boolean;
  error: ContractError | null;
  pending: PendingCaImport | null;
  lastUpdate: CrlUpdateOutcome['results'] | null;
  /** A short success sentence key (with values) after an import. */
  notice: { key: string; values: Record<string, string | number> } | null;
};

/**
 * Base64 of file bytes, in chunks (a spread of a large array would overflow the call stack). `maxBytes`: the bound of
 * the channel the file goes to (CA files by default; CRLs have their own, larger one).
 */
export async function fileToBase64(file: File, maxBytes: number = MAX_TRUST_IMPORT_BYTES): Promise<string> {
  if (file.size === 0 || file.size > maxBytes) {
    // Refused here with the service's own codes: the wire would only say "invalid input".
    const code = file.size === 0 ? 'trust.file-empty' : 'trust.file-too-large';
    throw new ContractFailure({
      code,
      messageKey: `errors.${code}`,
      details: { fileName: file.name, maxBytes },
    });
  }
  const bytes = new Uint8Array(await file.arrayBuffer());
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  }
  return btoa(binary);
}

/** Store of Paramètres › « Autorités de certification et révocation »: everything goes through the contract. */
export function useTrustStore() {
  const client = useClient();
  const [state, setState] = useState<TrustStoreState>({
    store: null,
    busy: false,
    error: null,
    pending: null,
    lastUpdate: null,
    notice: null,
  });

  const run = useCallback(async (action: () => Promise<Partial<TrustStoreState>>) => {
    setState((s) => ({ ...s, busy: true, error: null, notice: null }));
    try {
      const patch = await action();
      setState((s) => ({ ...s, busy: false, ...patch }));
    } catch (error) {
      setState((s) => ({ ...s, busy: false, error: toContractError(error) }));
    }
  }, []);

  useEffect(() => {
    void run(async () => ({ store: await client.invoke('trust:get-store') }));
  }, [client, run]);

  const importCas = useCallback(
    (file: File) =>
      run(async () => {
        const contentBase64 = await fileToBase64(file);
        const outcome = await client.invoke('trust:import-cas', {
          fileName: file.name,
          contentBase64,
          confirmUnknown: false,
        });
        if (outcome.status === 'needs-confirmation') {
          return { pending: { fileName: file.name, contentBase64, candidates: outcome.candidates } };
        }
        return {
          store: outcome.store,
          pending: null,
          notice: { key: 'settings.trust.imported', values: { count: outcome.added.length } },
        };
      }),
    [client, run],
  );

  const confirmPending = useCallback(
    (pending: PendingCaImport) =>
      run(async () => {
        const outcome = await client.invoke('trust:import-cas', {
          fileName: pending.fileName,
          contentBase64: pending.contentBase64,
          confirmUnknown: true,
        });
        return outcome.status === 'imported'
          ? {
              store: outcome.store,
              pending: null,
              notice: { key: 'settings.trust.imported', values: { count: outcome.added.length } },
            }
          : { pending: null };
      }),
    [client, run],
  );

  const cancelPending = useCallback(() => {
    setState((s) => ({ ...s, pending: null }));
  }, []);

  const importCrl = useCallback(
    (file: File) =>
      run(async () => ({
        store: await client.invoke('trust:import-crl', {
          fileName: file.name,
          contentBase64: await fileToBase64(file, MAX_CRL_IMPORT_BYTES),
        }),
        notice: { key: 'settings.trust.crlImported', values: { fileName: file.name } },
      })),
    [client, run],
  );

  const updateCrls = useCallback(
    () =>
      run(async () => {
        const outcome = await client.invoke('trust:update-crls');
        return { store: outcome.store, lastUpdate: outcome.results };
      }),
    [client, run],
  );

  const removeCa = useCallback(
    (sha256: string) => run(async () => ({ store: await client.invoke('trust:remove-ca', { sha256 }) })),
    [client, run],
  );

  return { state, actions: { importCas, confirmPending, cancelPending, importCrl, updateCrls, removeCa } };
}

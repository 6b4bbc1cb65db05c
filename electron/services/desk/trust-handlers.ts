/**
 * The trust store's contract handlers (Paramètres › « Autorités de certification et révocation »).
 */
import type { Handlers } from '../../../shared/contract/dispatcher';
import type { TrustStoreService } from './trust-store';

/** Channels served by the trust store. */
export type TrustHandlers = Pick<
  Handlers,
  'trust:get-store' | 'trust:import-cas' | 'trust:import-crl' | 'trust:update-crls' | 'trust:remove-ca'
>;

/** Bind the trust store to its channels. */
export function trustStoreHandlers(store: TrustStoreService): TrustHandlers {
  return {
    'trust:get-store': () => store.view(),
    'trust:import-cas': (input) => store.importCas(input),
    'trust:import-crl': (input) => store.importCrl(input),
    'trust:update-crls': () => store.updateCrls(),
    'trust:remove-ca': ({ sha256 }) => store.removeCa(sha256),
  };
}

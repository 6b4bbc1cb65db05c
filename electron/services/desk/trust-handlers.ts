/**
 * The trust store's contract handlers (Paramètres › « Autorités de certification et révocation »).
 */
import type { Handlers } from '../../../shared/contract/dispatcher';
import type { TrustStoreView } from '../../../shared/contract/cards';
import { AppError } from '../../../shared/errors';
import { demoTrustRows, withDemoRows } from './demo-trust-view';
import type { DemoTrust } from './demo-trust-view';
import type { TrustStoreService } from './trust-store';

/** Channels served by the trust store. */
export type TrustHandlers = Pick<
  Handlers,
  'trust:get-store' | 'trust:import-cas' | 'trust:import-crl' | 'trust:update-crls' | 'trust:remove-ca'
>;

/**
 * Bind the trust store to its channels.
 *
 * In demo mode (`demo` given), every view also lists the demo PKI the card checks trust, tagged `isDemo` and never
 * removable, so Paramètres tells the same story as the Guichet.
 */
export function trustStoreHandlers(
  store: TrustStoreService,
  demo?: DemoTrust,
  now: () => Date = () => new Date(),
): TrustHandlers {
  const shown = async (view: TrustStoreView): Promise<TrustStoreView> =>
    demo === undefined ? view : withDemoRows(view, await demoTrustRows(demo, now()));
  return {
    'trust:get-store': async () => shown(await store.view()),
    'trust:import-cas': async (input) => {
      const outcome = await store.importCas(input);
      return outcome.status === 'imported' ? { ...outcome, store: await shown(outcome.store) } : outcome;
    },
    'trust:import-crl': async (input) => shown(await store.importCrl(input)),
    'trust:update-crls': async () => {
      const outcome = await store.updateCrls();
      return { ...outcome, store: await shown(outcome.store) };
    },
    'trust:remove-ca': async ({ sha256 }) => {
      if (demo !== undefined) {
        const rows = await demoTrustRows(demo, now());
        if (rows.cas.some((ca) => ca.sha256 === sha256)) {
          throw new AppError('trust.demo-ca', { details: { sha256 } });
        }
      }
      return shown(await store.removeCa(sha256));
    },
  };
}

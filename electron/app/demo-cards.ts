import { buildCard, getSharedTestPki } from '../../emulators/card';
import type { DemoCardProfile } from '../../shared/contract/cards';
import type { TrustMaterial } from '../../shared/desk/card-report';
import type { InProcessBackend } from '../services/cards';

/** The virtual reader demo mode plugs in. */
export const demoReaderName = 'Lecteur virtuel (démo)';

/** Demo controls: insert a virtual CPx card of a given profile, pull it out, and the matching test PKI. */
export type DemoCards = {
  insert(profile: DemoCardProfile): Promise<void>;
  remove(): void;
  trustMaterial(): Promise<TrustMaterial>;
};

/**
 * Drive the in-process reader with the virtual cards of `emulators/card`, issued by the generated TEST IGC-Santé
 * hierarchy that demo mode trusts. The `revoked` card brings its CRL, as if downloaded earlier for offline use.
 */
export function createDemoCards(backend: InProcessBackend): DemoCards {
  const crls: Uint8Array[] = [];
  // Inserts run one after the other, so the last card asked for is the one in the reader.
  let previous: Promise<unknown> = Promise.resolve();
  const insertNow = async (profile: DemoCardProfile) => {
    const built = await buildCard(profile);
    if (built.crl !== null) {
      crls.push(built.crl);
    }
    backend.remove(demoReaderName);
    backend.insert(demoReaderName, built.card);
  };
  return {
    insert(profile) {
      const run = previous.then(() => insertNow(profile));
      previous = run.catch(() => undefined);
      return run;
    },
    remove() {
      backend.remove(demoReaderName);
    },
    async trustMaterial() {
      const pki = await getSharedTestPki();
      return {
        trust: { roots: [new Uint8Array(pki.root.rawData)], intermediates: [new Uint8Array(pki.ca.rawData)] },
        crls,
      };
    },
  };
}

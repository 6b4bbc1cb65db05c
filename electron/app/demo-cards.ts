import { buildCard, createCrl, getSharedTestPki } from '../../emulators/card';
import type { DemoCardProfile } from '../../shared/contract/cards';
import type { TrustMaterial } from '../../shared/desk/card-report';
import type { InProcessBackend } from '../services/cards';

/**
 * The virtual reader demo mode plugs in.
 *
 * A technical name, stable across languages; the renderer matches it (`DEMO_READER_NAME`) to show a translated one.
 */
export const demoReaderName = 'Lecteur virtuel (démo)';

/** Demo controls: insert a virtual CPx card of a given profile, pull it out, and the matching test PKI. */
export type DemoCards = {
  insert(profile: DemoCardProfile): Promise<void>;
  remove(): void;
  trustMaterial(): Promise<TrustMaterial>;
};

/**
 * Drive the in-process reader with the virtual cards of `emulators/card`, issued by the generated TEST IGC-Santé
 * hierarchy that demo mode trusts, with the CA's CRL as if downloaded earlier for offline use: empty at first (the
 * cards read as « non révoquée »), then listing every `revoked` card inserted.
 */
export function createDemoCards(backend: InProcessBackend): DemoCards {
  const revokedSerials: string[] = [];
  // One CRL, re-signed only when a revoked card joins it.
  let crl: { serials: number; der: Promise<Uint8Array> } | null = null;
  // Inserts run one after the other, so the last card asked for is the one in the reader.
  let previous: Promise<unknown> = Promise.resolve();
  const insertNow = async (profile: DemoCardProfile) => {
    const built = await buildCard(profile);
    const serial = built.certificates?.authentication.serialHex;
    if (built.crl !== null && serial !== undefined) {
      revokedSerials.push(serial);
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
      if (crl?.serials !== revokedSerials.length) {
        crl = { serials: revokedSerials.length, der: createCrl(pki, [...revokedSerials]) };
      }
      return {
        trust: { roots: [new Uint8Array(pki.root.rawData)], intermediates: [new Uint8Array(pki.ca.rawData)] },
        crls: [await crl.der],
      };
    },
  };
}

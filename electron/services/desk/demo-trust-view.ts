/**
 * Demo mode's TEST PKI as Paramètres lists it: the CAs and CRL `electron/app/cards-wiring.ts` merges into every card
 * check, shown next to the stored ones (tagged `isDemo`) so the settings never contradict the Guichet.
 */
import { caValidityAt, describeCa, isCrlStale, parseCrlFile } from '../../../shared/certificates';
import type { KnownCas } from '../../../shared/certificates';
import type { CrlView, TrustedCaView, TrustStoreView } from '../../../shared/contract/cards';
import type { TrustMaterial } from '../../../shared/desk/card-report';

/** Where the demo material comes from: the demo cards' PKI, and the shipped IGC-Santé list to name known CAs. */
export type DemoTrust = { material: () => Promise<TrustMaterial>; knownCas: KnownCas };

/** The demo CAs and CRLs as view rows, `isDemo: true`, in the order the checks use them. */
export async function demoTrustRows(demo: DemoTrust, at: Date): Promise<TrustStoreView> {
  const material = await demo.material();
  const ders = [...(material.trust?.roots ?? []), ...(material.trust?.intermediates ?? [])];
  const cas: TrustedCaView[] = [];
  for (const der of ders) {
    const ca = await describeCa(der, demo.knownCas);
    if (cas.some((row) => row.sha256 === ca.sha256)) {
      continue;
    }
    cas.push({
      sha256: ca.sha256,
      name: ca.name,
      subject: ca.subject,
      notBefore: ca.notBefore.toISOString(),
      notAfter: ca.notAfter.toISOString(),
      validity: caValidityAt(ca, at),
      isSelfSigned: ca.isSelfSigned,
      // Trusted without a fingerprint match or a confirmation: demo mode chains its virtual cards to it.
      origin: 'manual',
      knownName: ca.known?.name ?? null,
      environment: ca.known?.environment ?? 'test',
      crlUrl: null,
      isDemo: true,
    });
  }
  const crls: CrlView[] = material.crls.map((der, index) => {
    const crl = parseCrlFile(der);
    return {
      id: `demo-${String(index)}`,
      issuer: crl.issuer,
      issuerName: crl.issuerName,
      thisUpdate: crl.thisUpdate.toISOString(),
      nextUpdate: crl.nextUpdate?.toISOString() ?? null,
      isStale: isCrlStale(crl, at),
      revokedCount: crl.revokedCount,
      isDemo: true,
    };
  });
  return { cas, crls };
}

/** The stored view with the demo rows first; a stored CA that is also a demo one is listed once, as stored. */
export function withDemoRows(stored: TrustStoreView, demo: TrustStoreView): TrustStoreView {
  const storedCas = new Set(stored.cas.map((ca) => ca.sha256));
  return {
    cas: [...demo.cas.filter((ca) => !storedCas.has(ca.sha256)), ...stored.cas],
    crls: [...demo.crls, ...stored.crls],
  };
}

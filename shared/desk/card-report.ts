import { certificateChecks, checkRevocation, inspectCertificate, validityAt, verifyChain } from '../certificates';
import type { RevocationStatus, TrustSet } from '../certificates';
import type { CardReport, MappingValueView } from '../contract/cards';
import { certificateUserIdsFromDer, formatEntraDn, MAPPING_FORM_ORDER, MAPPING_FORMS } from '../mapping';

/** What the card reader produced, as the desk needs it. */
export type CardReadFacts = {
  reader: string;
  generation: CardReport['generation'];
  cardNumber: string | null;
  apdus: number;
  durationMs: number;
  authenticationDer: Uint8Array;
};

/** Trust material available when the card is read: CA certificates and CRL files kept for offline use. */
export type TrustMaterial = { trust: TrustSet | null; crls: readonly Uint8Array[] };

/**
 * Everything the Guichet shows about a card: who, which card, whether it can be used, and the exact values Entra
 * will match, in the order and with the advice of `shared/mapping`.
 */
export async function buildCardReport(facts: CardReadFacts, material: TrustMaterial, now: Date): Promise<CardReport> {
  const info = inspectCertificate(facts.authenticationDer);
  const { values } = await certificateUserIdsFromDer(facts.authenticationDer);
  const chain = await verifyChain(facts.authenticationDer, material.trust, now);
  const issuerDer = findIssuer(material.trust, formatEntraDn(info.issuer));
  const revocation = await checkRevocation(facts.authenticationDer, material.crls, now, issuerDer);
  const validity = validityAt(info, now);
  const mappings: MappingValueView[] = MAPPING_FORM_ORDER.map((form) => ({
    form,
    value: values[form],
    affinity: MAPPING_FORMS[form].affinity,
    isRecommended: MAPPING_FORMS[form].recommended,
    isRisky: MAPPING_FORMS[form].risky,
    isAmbiguous: MAPPING_FORMS[form].ambiguous,
  }));
  return {
    reader: facts.reader,
    generation: facts.generation,
    cardNumber: facts.cardNumber ?? info.cpx.cardNumber,
    apdus: facts.apdus,
    durationMs: facts.durationMs,
    kind: info.kind,
    holder: { surname: info.holder.surname, givenName: info.holder.givenName, commonName: info.holder.commonName },
    profession: info.holder.title,
    identifier: info.identifier,
    cardType: info.cpx.cardType,
    isTestCard: info.cpx.testCard === true,
    upn: info.upns[0] ?? null,
    issuer: formatEntraDn(info.issuer),
    validity: {
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      status: validity.status,
      daysLeft: validity.daysLeft,
    },
    chain: chain.status,
    revocation: revocation.status,
    checks: certificateChecks(info),
    mappings,
  };
}

/** Validity window and revocation of a certificate: what decides whether a card may still be mapped. */
export type CertificateUsability = {
  validity: 'valid' | 'expired' | 'not-yet-valid';
  revocation: RevocationStatus;
  /** When the CRL says the card was revoked (ISO 8601), if known. */
  revokedAt?: string;
};

/**
 * The desk's own validity and revocation verdict for a DER certificate (same CRLs, same issuer lookup as the card
 * report), for callers that need only whether the card may be used (enrollment).
 */
export async function certificateUsability(
  der: Uint8Array,
  material: TrustMaterial,
  now: Date,
): Promise<CertificateUsability> {
  const info = inspectCertificate(der);
  const issuerDer = findIssuer(material.trust, formatEntraDn(info.issuer));
  const revocation = await checkRevocation(der, material.crls, now, issuerDer);
  return {
    validity: validityAt(info, now).status,
    revocation: revocation.status,
    ...(revocation.revokedAt === undefined ? {} : { revokedAt: revocation.revokedAt.toISOString() }),
  };
}

/** The CA certificate whose subject is the card's issuer, used to check the CRL's signature. */
function findIssuer(trust: TrustSet | null, issuerDn: string): Uint8Array | undefined {
  if (trust === null) {
    return undefined;
  }
  return [...trust.intermediates, ...trust.roots].find((der) => {
    try {
      return formatEntraDn(inspectCertificate(der).subject) === issuerDn;
    } catch {
      return false;
    }
  });
}

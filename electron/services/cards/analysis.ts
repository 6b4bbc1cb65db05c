/**
 * After a read: inspects the authentication certificate (shared/certificates) and computes its certificateUserIds
 * values (shared/mapping), as plain JSON for the UI. A certificate the inspector rejects yields `null` + a reason.
 */
import type { CardType, CertificateKind, IdentifierType } from '../../../shared/certificates';
import { certificateUserIdsFromDer, formatEntraDn } from '../../../shared/mapping';
import type { CertificateUserIds } from '../../../shared/mapping';

/** What the desk shows about the card's authentication certificate. */
export type CertificateAnalysis = {
  kind: CertificateKind;
  subject: string;
  issuer: string;
  serialHex: string;
  notBefore: string;
  notAfter: string;
  holder: { surname: string | null; givenName: string | null; commonName: string | null; title: string | null };
  identifier: { type: IdentifierType; value: string } | null;
  upns: string[];
  skiHex: string | null;
  card: {
    testCard: boolean | null;
    cardType: CardType | null;
    cardNumber: string | null;
    professionCode: string | null;
  };
  isIgcSante: boolean;
  isLegacy: boolean;
  certificateUserIds: CertificateUserIds;
};

/** Inspects a DER certificate; never throws. */
export async function analyseCertificate(
  der: Uint8Array,
): Promise<{ analysis: CertificateAnalysis; error: null } | { analysis: null; error: string }> {
  try {
    const { info, values } = await certificateUserIdsFromDer(der);
    return {
      error: null,
      analysis: {
        kind: info.kind,
        subject: formatEntraDn(info.subject),
        issuer: formatEntraDn(info.issuer),
        serialHex: info.serialHex,
        notBefore: info.notBefore.toISOString(),
        notAfter: info.notAfter.toISOString(),
        holder: {
          surname: info.holder.surname,
          givenName: info.holder.givenName,
          commonName: info.holder.commonName,
          title: info.holder.title,
        },
        identifier: info.identifier,
        upns: [...info.upns],
        skiHex: info.skiHex,
        card: {
          testCard: info.cpx.testCard,
          cardType: info.cpx.cardType,
          cardNumber: info.cpx.cardNumber,
          professionCode: info.cpx.professionCode,
        },
        isIgcSante: info.isIgcSante,
        isLegacy: info.isLegacy,
        certificateUserIds: values,
      },
    };
  } catch (error) {
    return { analysis: null, error: error instanceof Error ? error.message : 'unreadable certificate' };
  }
}

/**
 * Public API of the mapping logic: `certificateUserIds` values and the Entra DN rendering.
 */
import { fingerprints, inspectCertificate, type CertificateInfo } from '../certificates/inspect';
import { computeCertificateUserIds, type CertificateUserIds } from './certificate-user-ids';

export * from './certificate-user-ids';
export { formatEntraDn, attributeName, quoteValue, dnRiskFactors } from './dn';
export { ENTRA_ATTRIBUTE_NAMES } from './attribute-names';

/** Inspect a DER certificate and compute its seven `certificateUserIds` values. */
export async function certificateUserIdsFromDer(
  der: Uint8Array,
): Promise<{ info: CertificateInfo; values: CertificateUserIds }> {
  const info = inspectCertificate(der);
  const { sha1 } = await fingerprints(der);
  return { info, values: computeCertificateUserIds({ ...info, sha1Thumbprint: sha1 }) };
}

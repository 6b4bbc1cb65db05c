/**
 * Public API of the certificate logic: loading, inspection, chain and revocation, known IGC-Santé CAs.
 */
export { splitCertificateFile, parseCertificate, MAX_CERTIFICATE_FILE_BYTES } from './load';
export {
  inspectCertificate,
  validityAt,
  fingerprints,
  IDENTIFIER_TYPES,
  EKU,
  type CertificateInfo,
  type CertificateKind,
  type IdentifierType,
  type CardType,
} from './inspect';
export { decodeName, nameValues, OID, type DistinguishedName, type NameAttribute } from './name';
export {
  verifyChain,
  checkRevocation,
  type TrustSet,
  type ChainStatus,
  type ChainResult,
  type RevocationStatus,
  type RevocationResult,
} from './chain';
export {
  parseKnownCas,
  findKnownCaByFingerprint,
  flagCrlUrl,
  knownCasFileSchema,
  type KnownCa,
  type KnownCas,
} from './known-cas';
export { CPX_OID } from './extensions';
export {
  parseCrlFile,
  findCrlSigner,
  isCrlStale,
  MAX_CRL_FILE_BYTES,
  type CrlDescription,
  type CrlSigner,
} from './crl';
export { describeCa, caValidityAt, findKnownCaBySubject, type CaDescription } from './trust-anchors';
export { certificateChecks, CERTIFICATE_CHECK_IDS, type CertificateCheck, type CertificateCheckId } from './checks';

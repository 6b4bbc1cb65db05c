/**
 * Everything the app needs to know about one certificate: identity of the holder, CPx private extensions, key
 * usages, SAN, and a classification (authentication / signature / technical, CPx / legacy / other).
 */
import type { CertificateRole } from '../cards/reader';
import { toHex } from '../cards/hex';
import { AppError } from '../errors';
import { CPX_OID, decodeExtensionValue, rawSerialNumber } from './extensions';
import { parseCertificate, plainBytes } from './load';
import { decodeName, nameValues, OID, type DistinguishedName } from './name';
import { x509 } from './x509';

/** Coarse kind used by reports and the CLI. */
export type CertificateKind = 'cpx-auth' | 'cpx-signature' | 'cpx-technical' | 'legacy' | 'other';

/** National identifier type, from the first digit of the CN (domain.md §3). */
export type IdentifierType = 'rpps' | 'adeli' | 'finess' | 'siret' | 'unknown';

/** CPx card type from `1.2.250.1.71.1.2.2`. */
export type CardType = 'CPS' | 'CPF' | 'CPE' | 'CPA';

/** Identifier-type digits: data, so a new type is one line. */
export const IDENTIFIER_TYPES: Readonly<Record<string, IdentifierType>> = {
  '8': 'rpps',
  '0': 'adeli',
  '3': 'finess',
  '5': 'siret',
};

const CARD_TYPES: Readonly<Record<number, CardType>> = { 0: 'CPS', 1: 'CPF', 2: 'CPE', 3: 'CPA' };

/** EKU OIDs of interest. */
export const EKU = {
  clientAuth: '1.3.6.1.5.5.7.3.2',
  smartcardLogon: '1.3.6.1.4.1.311.20.2.2',
  emailProtection: '1.3.6.1.5.5.7.3.4',
} as const;

/** Facts extracted from a certificate (pure data, no library objects). */
export type CertificateInfo = {
  der: Uint8Array;
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Big-endian serial bytes as encoded (lowercase hex). */
  serialHex: string;
  notBefore: Date;
  notAfter: Date;
  keyUsage: {
    digitalSignature: boolean;
    nonRepudiation: boolean;
    keyEncipherment: boolean;
    keyCertSign: boolean;
  } | null;
  extendedKeyUsages: string[];
  /** False when the certificate has no EKU extension at all: unrestricted, any purpose (RFC 5280 §4.2.1.12). */
  hasExtendedKeyUsage: boolean;
  upns: string[];
  emails: string[];
  /** SubjectKeyIdentifier extension value (lowercase hex), null when absent. */
  skiHex: string | null;
  policies: string[];
  crlUrls: string[];
  isCa: boolean;
  holder: {
    surname: string | null;
    givenName: string | null;
    commonName: string | null;
    title: string | null;
    organization: string | null;
    organizationalUnits: string[];
  };
  /**
   * National identifier from the CN. For a staff member of a structure (CPE/CPA: `3` + `<FINESS>/<staff number>`),
   * `structureId` is the structure's FINESS and `staffNumber` the structure-internal number; `value` stays whole.
   */
  identifier: { type: IdentifierType; value: string; structureId?: string; staffNumber?: string } | null;
  cpx: {
    testCard: boolean | null;
    cardType: CardType | null;
    cardTypeCode: number | null;
    cardIssuerAndNumber: string | null;
    cardNumber: string | null;
    professionCode: string | null;
  };
  isIgcSante: boolean;
  isLegacy: boolean;
  role: CertificateRole;
  kind: CertificateKind;
};

type Cert = InstanceType<typeof x509.X509Certificate>;

function privateExtension(cert: Cert, oid: string): ReturnType<typeof decodeExtensionValue> {
  const ext = cert.getExtension(oid);
  return ext === null ? null : decodeExtensionValue(new Uint8Array(ext.value));
}

function readCpx(cert: Cert): CertificateInfo['cpx'] {
  const test = privateExtension(cert, CPX_OID.testCard);
  const type = privateExtension(cert, CPX_OID.cardType);
  const number = privateExtension(cert, CPX_OID.cardIssuerAndNumber);
  const profession = privateExtension(cert, CPX_OID.professionCode);
  const testByte = test?.kind === 'bytes' ? test.value[0] : test?.kind === 'integer' ? test.value : undefined;
  const cardTypeCode = type?.kind === 'integer' ? type.value : null;
  const issuerAndNumber = number?.kind === 'text' ? number.value : null;
  return {
    testCard: testByte === undefined ? null : (testByte & 0x80) !== 0,
    cardTypeCode,
    cardType: cardTypeCode === null ? null : (CARD_TYPES[cardTypeCode] ?? null),
    cardIssuerAndNumber: issuerAndNumber,
    cardNumber: issuerAndNumber === null ? null : (/\/(\d+)$/.exec(issuerAndNumber)?.[1] ?? null),
    professionCode:
      profession === null ? null : profession.kind === 'bytes' ? toHex(profession.value) : String(profession.value),
  };
}

function anyValueMatches(name: DistinguishedName, pattern: RegExp): boolean {
  return name.some((rdn) => rdn.some((a) => pattern.test(a.value)));
}

function classifyRole(info: Omit<CertificateInfo, 'role' | 'kind'>): CertificateRole {
  if (info.isCa) {
    return 'unknown';
  }
  const ku = info.keyUsage;
  if (ku?.nonRepudiation === true) {
    return 'signature';
  }
  // No EKU extension means no restriction (RFC 5280 §4.2.1.12): such a certificate may authenticate a client.
  const clientAuth =
    !info.hasExtendedKeyUsage ||
    info.extendedKeyUsages.includes(EKU.clientAuth) ||
    info.extendedKeyUsages.includes(EKU.smartcardLogon);
  if ((ku === null || ku.digitalSignature) && (clientAuth || info.upns.length > 0)) {
    return 'authentication';
  }
  if (ku !== null && (ku.digitalSignature || ku.keyEncipherment)) {
    return 'technical';
  }
  return 'unknown';
}

function classifyKind(info: Omit<CertificateInfo, 'kind'>): CertificateKind {
  if (info.isLegacy) {
    return 'legacy';
  }
  if (!info.isIgcSante || info.isCa) {
    return 'other';
  }
  switch (info.role) {
    case 'authentication':
      return 'cpx-auth';
    case 'signature':
      return 'cpx-signature';
    case 'technical':
      return 'cpx-technical';
    case 'unknown':
      return 'other';
  }
}

/**
 * The identifier carried by a CN: the type digit, then the number. An unknown digit keeps the whole CN (it is not a
 * CPx identifier, nothing to strip). `3<FINESS>/<staff number>` (CPE, CPA) is split into its two parts.
 */
export function parseIdentifier(type: IdentifierType, commonName: string): NonNullable<CertificateInfo['identifier']> {
  if (type === 'unknown') {
    return { type, value: commonName };
  }
  const value = commonName.slice(1);
  const staff = type === 'finess' ? /^([0-9A-Z]{9})\/(.+)$/i.exec(value) : null;
  if (staff?.[1] !== undefined && staff[2] !== undefined) {
    return { type, value, structureId: staff[1], staffNumber: staff[2] };
  }
  return { type, value };
}

/** Extract facts and classification from a DER certificate (`certificate.unreadable` when it is not one). */
export function inspectCertificate(der: Uint8Array): CertificateInfo {
  try {
    return inspect(der);
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    // Extensions are decoded lazily by the library: a malformed one surfaces here, not in the constructor.
    throw new AppError('certificate.unreadable', { details: { reason: 'invalid-extension' }, cause: error });
  }
}

function inspect(der: Uint8Array): CertificateInfo {
  const cert = parseCertificate(der);
  const subject = decodeName(new Uint8Array(cert.subjectName.toArrayBuffer()));
  const issuer = decodeName(new Uint8Array(cert.issuerName.toArrayBuffer()));
  const serial = rawSerialNumber(der);
  if (subject === null || issuer === null || serial === null) {
    throw new AppError('certificate.unreadable', { details: { reason: 'invalid-name-or-serial' } });
  }
  const kuExt = cert.getExtension(x509.KeyUsagesExtension);
  const ekuExt = cert.getExtension(x509.ExtendedKeyUsageExtension);
  const sanExt = cert.getExtension(x509.SubjectAlternativeNameExtension);
  const skiExt = cert.getExtension(x509.SubjectKeyIdentifierExtension);
  const policyExt = cert.getExtension(x509.CertificatePolicyExtension);
  const cdpExt = cert.getExtension(x509.CRLDistributionPointsExtension);
  const bcExt = cert.getExtension(x509.BasicConstraintsExtension);
  const sanItems = sanExt?.names.toJSON() ?? [];
  const commonName = nameValues(subject, OID.commonName)[0] ?? null;
  const identifierType = commonName === null ? null : (IDENTIFIER_TYPES[commonName.charAt(0)] ?? 'unknown');
  const issuerOrgs = [...nameValues(issuer, OID.organizationalUnit), ...nameValues(issuer, OID.organization)];
  const base = {
    der: plainBytes(der),
    subject,
    issuer,
    serialHex: toHex(serial),
    notBefore: cert.notBefore,
    notAfter: cert.notAfter,
    keyUsage:
      kuExt === null
        ? null
        : {
            digitalSignature: (kuExt.usages & x509.KeyUsageFlags.digitalSignature) !== 0,
            nonRepudiation: (kuExt.usages & x509.KeyUsageFlags.nonRepudiation) !== 0,
            keyEncipherment: (kuExt.usages & x509.KeyUsageFlags.keyEncipherment) !== 0,
            keyCertSign: (kuExt.usages & x509.KeyUsageFlags.keyCertSign) !== 0,
          },
    extendedKeyUsages: (ekuExt?.usages ?? []).map(String),
    hasExtendedKeyUsage: ekuExt !== null,
    upns: sanItems.filter((n) => n.type === 'upn').map((n) => n.value),
    emails: sanItems.filter((n) => n.type === 'email').map((n) => n.value),
    skiHex: skiExt === null ? null : skiExt.keyId.toLowerCase(),
    policies: [...(policyExt?.policies ?? [])],
    crlUrls: (cdpExt?.distributionPoints ?? []).flatMap((dp) =>
      (dp.distributionPoint?.fullName ?? []).flatMap((n) =>
        n.uniformResourceIdentifier === undefined ? [] : [n.uniformResourceIdentifier],
      ),
    ),
    isCa: bcExt?.ca === true,
    holder: {
      surname: nameValues(subject, OID.surname)[0] ?? null,
      givenName: nameValues(subject, OID.givenName)[0] ?? null,
      commonName,
      title: nameValues(subject, OID.title)[0] ?? null,
      organization: nameValues(subject, OID.organization)[0] ?? null,
      organizationalUnits: nameValues(subject, OID.organizationalUnit),
    },
    identifier: commonName === null || identifierType === null ? null : parseIdentifier(identifierType, commonName),
    cpx: readCpx(cert),
    isIgcSante: issuerOrgs.some((v) => /IGC-SANTE|ASIP-SANTE/i.test(v)),
    isLegacy: anyValueMatches(issuer, /GIP-CPS|CLASSE-1/i),
  };
  const withRole = { ...base, role: classifyRole(base) };
  return { ...withRole, kind: classifyKind(withRole) };
}

/** Validity window at `now`, with whole days left (negative once expired). */
export function validityAt(
  info: Pick<CertificateInfo, 'notBefore' | 'notAfter'>,
  now: Date,
): { status: 'valid' | 'expired' | 'not-yet-valid'; daysLeft: number } {
  const daysLeft = Math.floor((info.notAfter.getTime() - now.getTime()) / 86_400_000);
  if (now < info.notBefore) {
    return { status: 'not-yet-valid', daysLeft };
  }
  return { status: now > info.notAfter ? 'expired' : 'valid', daysLeft };
}

/** SHA-1 and SHA-256 fingerprints of the DER (uppercase hex), via WebCrypto. */
export async function fingerprints(der: Uint8Array): Promise<{ sha1: string; sha256: string }> {
  const bytes = plainBytes(der);
  const [sha1, sha256] = await Promise.all([
    globalThis.crypto.subtle.digest('SHA-1', bytes),
    globalThis.crypto.subtle.digest('SHA-256', bytes),
  ]);
  return { sha1: toHex(new Uint8Array(sha1)).toUpperCase(), sha256: toHex(new Uint8Array(sha256)).toUpperCase() };
}

/**
 * The seven `certificateUserIds` forms of a certificate (domain.md §2), byte-exact.
 *
 * Hex case follows Microsoft's reference generator (Get-EntraUserCertificateUserIdsFromCertificate): SKI and
 * SHA-1 thumbprint as .NET prints them (uppercase), the reversed serial in lowercase (`x2`, as in the certutil
 * example of the Entra docs). Entra's comparison of hex is not documented as case-insensitive, so we stay exact.
 */
import { dnRiskFactors, formatEntraDn } from './dn';
import type { DistinguishedName } from '../certificates/name';

/** The seven binding forms, in Graph's `x509CertificateField` spelling where one exists. */
export type MappingForm =
  'PrincipalName' | 'RFC822Name' | 'IssuerAndSubject' | 'Subject' | 'SKI' | 'SHA1PublicKey' | 'IssuerAndSerialNumber';

/** Static facts about a form: prefix, affinity, and our advice for CPx cards. */
export type MappingFormInfo = {
  prefix: string;
  affinity: 'low' | 'high';
  recommended: boolean;
  risky: boolean;
  ambiguous: boolean;
};

/** Advice per form: PrincipalName + SKI recommended for CPx; Subject-based forms risky; SHA1-PUKEY ambiguous. */
export const MAPPING_FORMS: Readonly<Record<MappingForm, MappingFormInfo>> = {
  PrincipalName: { prefix: 'X509:<PN>', affinity: 'low', recommended: true, risky: false, ambiguous: false },
  RFC822Name: { prefix: 'X509:<RFC822>', affinity: 'low', recommended: false, risky: false, ambiguous: false },
  IssuerAndSubject: { prefix: 'X509:<I>', affinity: 'low', recommended: false, risky: true, ambiguous: false },
  Subject: { prefix: 'X509:<S>', affinity: 'low', recommended: false, risky: true, ambiguous: false },
  SKI: { prefix: 'X509:<SKI>', affinity: 'high', recommended: true, risky: false, ambiguous: false },
  // Docs call it a public-key hash; Microsoft's generator writes the certificate thumbprint. We follow the tool.
  SHA1PublicKey: { prefix: 'X509:<SHA1-PUKEY>', affinity: 'high', recommended: false, risky: false, ambiguous: true },
  IssuerAndSerialNumber: { prefix: 'X509:<I>', affinity: 'high', recommended: false, risky: false, ambiguous: false },
};

/** Order in which forms are listed. */
export const MAPPING_FORM_ORDER: readonly MappingForm[] = [
  'PrincipalName',
  'RFC822Name',
  'IssuerAndSubject',
  'Subject',
  'SKI',
  'SHA1PublicKey',
  'IssuerAndSerialNumber',
];

/**
 * Limits of the attribute (docs vary: treat as data).
 *
 * Graph's current certificateUserIds page: "multivalued and can hold up to 10 values", each at most 1024 characters
 * (an older version said 5, the portal 4: psc-checklist.md §3.1).
 */
export const CERTIFICATE_USER_IDS_LIMITS = { maxValues: 10, maxValueLength: 1024 } as const;

/** What the computation needs from a certificate. */
export type MappingFacts = {
  subject: DistinguishedName;
  issuer: DistinguishedName;
  /** Big-endian serial bytes as encoded, hex. */
  serialHex: string;
  skiHex: string | null;
  /** SHA-1 of the whole DER certificate, hex. */
  sha1Thumbprint: string;
  upns: readonly string[];
  emails: readonly string[];
};

/** All seven values (null where the certificate has no such field). */
export type CertificateUserIds = Record<MappingForm, string | null>;

/** Serial for `<SR>`: bytes reversed (little-endian), lowercase hex — certutil's second line. */
export function reverseSerialHex(bigEndianHex: string): string {
  const clean = bigEndianHex.replace(/[\s:]/g, '').toLowerCase();
  const even = clean.length % 2 === 0 ? clean : `0${clean}`;
  return (even.match(/../g) ?? []).reverse().join('');
}

function within(value: string): string | null {
  return value.length <= CERTIFICATE_USER_IDS_LIMITS.maxValueLength ? value : null;
}

/** Compute the seven `certificateUserIds` values (values over 1024 characters come back null). */
export function computeCertificateUserIds(facts: MappingFacts): CertificateUserIds {
  const issuer = formatEntraDn(facts.issuer);
  const subject = formatEntraDn(facts.subject);
  const upn = facts.upns[0];
  const email = facts.emails[0];
  return {
    PrincipalName: upn === undefined ? null : within(`X509:<PN>${upn}`),
    RFC822Name: email === undefined ? null : within(`X509:<RFC822>${email}`),
    IssuerAndSubject: subject === '' ? null : within(`X509:<I>${issuer}<S>${subject}`),
    Subject: subject === '' ? null : within(`X509:<S>${subject}`),
    SKI: facts.skiHex === null ? null : within(`X509:<SKI>${facts.skiHex.toUpperCase()}`),
    SHA1PublicKey: within(`X509:<SHA1-PUKEY>${facts.sha1Thumbprint.toUpperCase()}`),
    IssuerAndSerialNumber: within(`X509:<I>${issuer}<SR>${reverseSerialHex(facts.serialHex)}`),
  };
}

/** Warnings attached to Subject-based forms for this certificate. */
export function subjectRisks(facts: Pick<MappingFacts, 'subject'>): string[] {
  return dnRiskFactors(facts.subject);
}

/** Check a value before writing it: known prefix and length limit. */
export function isValidCertificateUserId(value: string): boolean {
  return (
    value.length <= CERTIFICATE_USER_IDS_LIMITS.maxValueLength && /^X509:<(PN|RFC822|I|S|SKI|SHA1-PUKEY)>./.test(value)
  );
}

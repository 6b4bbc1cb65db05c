/**
 * Which CA certificates may become trust anchors: a CA check, and a SHA-256 comparison with the shipped
 * IGC-Santé facts (`resources/known-cas.json`), so a file is trusted for what it is, not for where it was dropped.
 */
import { AppError } from '../errors';
import { formatEntraDn } from '../mapping/dn';
import { fingerprints, inspectCertificate, validityAt } from './inspect';
import { findKnownCaByFingerprint } from './known-cas';
import type { KnownCa, KnownCas } from './known-cas';
import { nameValues, OID } from './name';

/** Facts about a CA certificate offered as an anchor. */
export type CaDescription = {
  der: Uint8Array;
  /** Uppercase hex SHA-256 of the DER. */
  sha256: string;
  /** Subject DN in Entra's ASN.1 order. */
  subject: string;
  /** The subject's CN (display name). */
  name: string;
  notBefore: Date;
  notAfter: Date;
  isSelfSigned: boolean;
  /** The shipped IGC-Santé entry with the same SHA-256, or null when this CA is unknown to the app. */
  known: KnownCa | null;
};

/**
 * Describe a DER certificate offered as a CA.
 *
 * Throws `trust.not-a-ca` for an end-entity certificate (no CA basic constraint and no keyCertSign usage), and
 * `certificate.unreadable` when the DER is not a certificate.
 */
export async function describeCa(der: Uint8Array, knownCas: KnownCas): Promise<CaDescription> {
  const info = inspectCertificate(der);
  const subject = formatEntraDn(info.subject);
  if (!info.isCa && info.keyUsage?.keyCertSign !== true) {
    throw new AppError('trust.not-a-ca', { details: { subject } });
  }
  const { sha256 } = await fingerprints(der);
  return {
    der: info.der,
    sha256,
    subject,
    name: nameValues(info.subject, OID.commonName)[0] ?? subject,
    notBefore: info.notBefore,
    notAfter: info.notAfter,
    isSelfSigned: subject === formatEntraDn(info.issuer),
    known: findKnownCaByFingerprint(knownCas, sha256) ?? null,
  };
}

/** Validity of a CA at `now` (the chain check refuses an expired CA; the list shows it). */
export function caValidityAt(ca: Pick<CaDescription, 'notBefore' | 'notAfter'>, now: Date) {
  return validityAt(ca, now).status;
}

/** The known IGC-Santé CA whose subject DN equals `dn` (when only the issuer name is available, not its DER). */
export function findKnownCaBySubject(cas: KnownCas, dn: string): KnownCa | undefined {
  return cas.cas.find((ca) => ca.subject === dn);
}

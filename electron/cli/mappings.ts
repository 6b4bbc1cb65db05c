/**
 * `psc-assistant mappings`: certificateUserIds and classification for each certificate in the given files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import {
  certificateChecks,
  checkRevocation,
  fingerprints,
  findKnownCaByFingerprint,
  findKnownCaBySubject,
  inspectCertificate,
  splitCertificateFile,
  verifyChain,
  type CertificateCheck,
  type CertificateCheckId,
  type CertificateInfo,
  type ChainStatus,
  type KnownCas,
  type RevocationStatus,
  type TrustSet,
} from '../../shared/certificates';
import { bytesEqual } from '../../shared/cards/hex';
import {
  certificateUserIdsFromDer,
  dnRiskFactors,
  formatEntraDn,
  MAPPING_FORM_ORDER,
  type CertificateUserIds,
} from '../../shared/mapping';
import { catalogText } from './messages';
import { shippedKnownCas } from '../services/desk/known-cas-data';
import type { MappingsArgs } from './args';

/** Why a certificate must not be used for `certificateUserIds` (null when it may). */
export type NotMappableReason =
  | 'signature-certificate-never-map'
  | 'technical-certificate'
  | 'ca-certificate'
  | 'legacy-issuer'
  | 'not-an-authentication-certificate';

/** One line of the JSON output. */
export type MappingResult = {
  file: string;
  index: number;
  ok: boolean;
  /**
   * Always the seven keys; a key is null only where its form does not apply (no UPN in the SAN, no SKI…) or the
   * file could not be read. Whether the values may be written at all is `usableForMapping` / `reason`.
   */
  certificateUserIds: CertificateUserIds;
  classification: {
    kind: CertificateInfo['kind'];
    role: CertificateInfo['role'];
    testCard: boolean | null;
    cardType: string | null;
    identifierType: string | null;
    identifier: string | null;
    /** CPE/CPA (`3<FINESS>/<staff number>`): the structure's FINESS; null otherwise. */
    structureId: string | null;
    /** CPE/CPA: the structure-internal staff number; null otherwise. */
    staffNumber: string | null;
    upn: string | null;
    subject: string;
    issuer: string;
    serialNumber: string;
    notBefore: string;
    notAfter: string;
    validity: 'valid' | 'expired' | 'not-yet-valid';
    chain: ChainStatus;
    /** The trust anchor the chain ends at (`--trust`), and whether it is a known IGC-Santé CA by SHA-256. */
    chainAnchor: { subject: string; sha256: string; knownIgcSante: boolean; knownName: string | null } | null;
    /** The known IGC-Santé CA whose subject is this certificate's issuer (by name only), or null. */
    issuerKnownCa: string | null;
    /**
     * That CA's CRL address from `known-cas.json`; `verified: false` when the address was only inferred from the
     * naming scheme (`crlUrlSource: "inferred"`), never read in a certificate or a published document.
     */
    issuerCrl: { url: string; source: string; verified: boolean } | null;
    /** CRL distribution points written in the certificate itself. */
    crlUrls: string[];
    /** true revoked, false checked against a current CRL, null unknown (no CRL, or only a stale one). */
    revoked: boolean | null;
    revocation: { status: RevocationStatus; revokedAt: string | null; crlNextUpdate: string | null };
  } | null;
  usableForMapping: boolean;
  reason: NotMappableReason | null;
  /** Explicit checks with a plain-French explanation. */
  checks: { id: CertificateCheckId; passed: boolean; explanation: string }[];
  /** Warning codes (stable, for scripts); their French wording is `desk.mappingWarnings.<code>`. */
  warnings: string[];
  error?: { code: string; message: string };
};

const TRUST_EXTENSIONS = /\.(cer|crt|pem|der|p7b|p7c)$/i;

async function filesOf(path: string): Promise<string[]> {
  const info = await stat(path);
  if (!info.isDirectory()) {
    return [path];
  }
  const names = (await readdir(path)).filter((n) => TRUST_EXTENSIONS.test(n)).sort();
  return names.map((n) => join(path, n));
}

/** Load `--trust` certificates, splitting roots (subject = issuer) from intermediates. */
export async function loadTrustSet(paths: readonly string[]): Promise<TrustSet | null> {
  if (paths.length === 0) {
    return null;
  }
  const roots: Uint8Array[] = [];
  const intermediates: Uint8Array[] = [];
  for (const path of paths) {
    for (const file of await filesOf(path)) {
      for (const der of splitCertificateFile(new Uint8Array(await readFile(file)))) {
        const info = inspectCertificate(der);
        (formatEntraDn(info.subject) === formatEntraDn(info.issuer) ? roots : intermediates).push(der);
      }
    }
  }
  return { roots, intermediates };
}

function messageOf(error: unknown): { code: string; message: string } {
  if (error instanceof AppError) {
    const reason = typeof error.details?.reason === 'string' ? ` (${error.details.reason})` : '';
    return { code: error.code, message: `Certificat illisible${reason}` };
  }
  const code = (error as { code?: unknown }).code;
  if (code === 'ENOENT') {
    return { code: 'file.not-found', message: 'Fichier introuvable' };
  }
  if (code === 'EACCES') {
    return { code: 'file.access-denied', message: 'Accès refusé' };
  }
  if (code === 'EISDIR') {
    return { code: 'file.is-directory', message: 'Dossier donné à la place d’un fichier' };
  }
  return { code: 'file.unreadable', message: error instanceof Error ? error.message : 'Erreur inconnue' };
}

/** The seven keys, all null: the shape scripts rely on, for a file with no readable certificate. */
const NO_VALUES = Object.fromEntries(MAPPING_FORM_ORDER.map((form) => [form, null])) as CertificateUserIds;

function failure(file: string, error: unknown): MappingResult {
  return {
    file,
    index: 0,
    ok: false,
    certificateUserIds: { ...NO_VALUES },
    classification: null,
    usableForMapping: false,
    reason: null,
    checks: [],
    warnings: [],
    error: messageOf(error),
  };
}

function findIssuer(trust: TrustSet | null, info: CertificateInfo): Uint8Array | undefined {
  const all = trust === null ? [] : [...trust.intermediates, ...trust.roots];
  const wanted = formatEntraDn(info.issuer);
  return all.find((der) => {
    const candidate = inspectCertificate(der);
    return formatEntraDn(candidate.subject) === wanted && !bytesEqual(der, info.der);
  });
}

function notMappableReason(info: CertificateInfo): NotMappableReason | null {
  if (info.isCa) {
    return 'ca-certificate';
  }
  if (info.role === 'signature') {
    return 'signature-certificate-never-map';
  }
  if (info.role === 'technical') {
    return 'technical-certificate';
  }
  if (info.role !== 'authentication') {
    return 'not-an-authentication-certificate';
  }
  return info.isLegacy ? 'legacy-issuer' : null;
}

/**
 * Plain-French explanation of a check, from the UI catalog (one wording for the Guichet and the CLI). A present UPN
 * on a certificate that must not be mapped does not announce « la liaison PrincipalName est possible ».
 */
function explain(check: CertificateCheck, usable: boolean): string {
  if (check.id === 'upn-present' && check.passed && !usable) {
    return catalogText('desk.upnPresentNotMappable', check.values);
  }
  return catalogText(`desk.checks.${check.id}.${check.variant ?? (check.passed ? 'pass' : 'fail')}`, check.values);
}

async function anchorOf(anchor: Uint8Array | undefined, knownCas: KnownCas) {
  if (anchor === undefined) {
    return null;
  }
  const { sha256 } = await fingerprints(anchor);
  const known = findKnownCaByFingerprint(knownCas, sha256);
  return {
    subject: formatEntraDn(inspectCertificate(anchor).subject),
    sha256,
    knownIgcSante: known !== undefined,
    knownName: known?.name ?? null,
  };
}

async function analyse(
  file: string,
  index: number,
  der: Uint8Array,
  context: { trust: TrustSet | null; crls: readonly Uint8Array[]; knownCas: KnownCas; now: Date },
): Promise<MappingResult> {
  const { trust, crls, now } = context;
  const { info, values } = await certificateUserIdsFromDer(der);
  const chain = await verifyChain(der, trust, now);
  const revocation = await checkRevocation(der, crls, now, findIssuer(trust, info));
  const validity = now < info.notBefore ? 'not-yet-valid' : now > info.notAfter ? 'expired' : 'valid';
  const reason = notMappableReason(info);
  const warnings: string[] = [];
  if (reason !== null) {
    warnings.push(reason);
  }
  if (info.isLegacy && reason !== 'legacy-issuer') {
    warnings.push('legacy-issuer');
  }
  if (validity !== 'valid') {
    warnings.push(`validity-${validity}`);
  }
  if (revocation.status === 'crl-expired') {
    warnings.push('crl-expired');
  }
  warnings.push(...dnRiskFactors(info.subject).map((r) => `subject-${r}`));
  const issuer = formatEntraDn(info.issuer);
  const issuerCa = findKnownCaBySubject(context.knownCas, issuer);
  return {
    file,
    index,
    ok: true,
    // The values are facts of the certificate; the verdict on writing them is `usableForMapping` / `reason`.
    certificateUserIds: values,
    classification: {
      kind: info.kind,
      role: info.role,
      testCard: info.cpx.testCard,
      cardType: info.cpx.cardType,
      identifierType: info.identifier?.type ?? null,
      identifier: info.identifier?.value ?? null,
      structureId: info.identifier?.structureId ?? null,
      staffNumber: info.identifier?.staffNumber ?? null,
      upn: info.upns[0] ?? null,
      subject: formatEntraDn(info.subject),
      issuer,
      serialNumber: info.serialHex,
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      validity,
      chain: chain.status,
      chainAnchor: chain.status === 'valid' ? await anchorOf(chain.anchor, context.knownCas) : null,
      issuerKnownCa: issuerCa?.name ?? null,
      issuerCrl:
        issuerCa === undefined
          ? null
          : { url: issuerCa.crlUrl, source: issuerCa.crlUrlSource, verified: issuerCa.crlUrlSource !== 'inferred' },
      crlUrls: info.crlUrls,
      revoked: revocation.status === 'revoked' ? true : revocation.status === 'good' ? false : null,
      revocation: {
        status: revocation.status,
        revokedAt: revocation.revokedAt?.toISOString() ?? null,
        crlNextUpdate: revocation.crlNextUpdate?.toISOString() ?? null,
      },
    },
    usableForMapping: reason === null,
    reason,
    checks: certificateChecks(info).map((c) => ({
      id: c.id,
      passed: c.passed,
      explanation: explain(c, reason === null),
    })),
    warnings,
  };
}

/** Run the command; one result per certificate (a file may hold several), failures included. */
export async function runMappings(args: MappingsArgs): Promise<MappingResult[]> {
  const trust = await loadTrustSet(args.trust);
  const crls: Uint8Array[] = [];
  for (const path of args.crls) {
    crls.push(new Uint8Array(await readFile(path)));
  }
  const knownCas = shippedKnownCas();
  const results: MappingResult[] = [];
  for (const file of args.files) {
    try {
      const ders = splitCertificateFile(new Uint8Array(await readFile(file)));
      for (const [index, der] of ders.entries()) {
        results.push(await analyse(file, index, der, { trust, crls, knownCas, now: args.now }));
      }
    } catch (error) {
      results.push(failure(file, error));
    }
  }
  return results;
}

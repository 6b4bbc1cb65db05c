/**
 * `psc-assistant mappings`: certificateUserIds and classification for each certificate in the given files.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import {
  checkRevocation,
  inspectCertificate,
  splitCertificateFile,
  verifyChain,
  type CertificateInfo,
  type ChainStatus,
  type RevocationStatus,
  type TrustSet,
} from '../../shared/certificates';
import { bytesEqual } from '../../shared/cards/hex';
import { certificateUserIdsFromDer, dnRiskFactors, formatEntraDn, type CertificateUserIds } from '../../shared/mapping';
import type { MappingsArgs } from './args';

/** One line of the JSON output. */
export type MappingResult = {
  file: string;
  index: number;
  ok: boolean;
  certificateUserIds: CertificateUserIds | null;
  classification: {
    kind: CertificateInfo['kind'];
    role: CertificateInfo['role'];
    testCard: boolean | null;
    cardType: string | null;
    identifierType: string | null;
    identifier: string | null;
    upn: string | null;
    subject: string;
    issuer: string;
    serialNumber: string;
    notBefore: string;
    notAfter: string;
    validity: 'valid' | 'expired' | 'not-yet-valid';
    chain: ChainStatus;
    revoked: RevocationStatus;
  } | null;
  usableForMapping: boolean;
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

function failure(file: string, error: unknown): MappingResult {
  return {
    file,
    index: 0,
    ok: false,
    certificateUserIds: null,
    classification: null,
    usableForMapping: false,
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

async function analyse(
  file: string,
  index: number,
  der: Uint8Array,
  trust: TrustSet | null,
  crls: readonly Uint8Array[],
  now: Date,
): Promise<MappingResult> {
  const { info, values } = await certificateUserIdsFromDer(der);
  const chain = await verifyChain(der, trust, now);
  const revocation = await checkRevocation(der, crls, now, findIssuer(trust, info));
  const validity = now < info.notBefore ? 'not-yet-valid' : now > info.notAfter ? 'expired' : 'valid';
  const warnings: string[] = [];
  if (info.role === 'signature') {
    warnings.push('signature-certificate-never-map');
  }
  if (info.isLegacy) {
    warnings.push('legacy-issuer');
  }
  if (validity !== 'valid') {
    warnings.push(`validity-${validity}`);
  }
  warnings.push(...dnRiskFactors(info.subject).map((r) => `subject-${r}`));
  return {
    file,
    index,
    ok: true,
    certificateUserIds: values,
    classification: {
      kind: info.kind,
      role: info.role,
      testCard: info.cpx.testCard,
      cardType: info.cpx.cardType,
      identifierType: info.identifier?.type ?? null,
      identifier: info.identifier?.value ?? null,
      upn: info.upns[0] ?? null,
      subject: formatEntraDn(info.subject),
      issuer: formatEntraDn(info.issuer),
      serialNumber: info.serialHex,
      notBefore: info.notBefore.toISOString(),
      notAfter: info.notAfter.toISOString(),
      validity,
      chain: chain.status,
      revoked: revocation.status,
    },
    usableForMapping: info.role === 'authentication' && !info.isLegacy,
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
  const results: MappingResult[] = [];
  for (const file of args.files) {
    try {
      const ders = splitCertificateFile(new Uint8Array(await readFile(file)));
      for (const [index, der] of ders.entries()) {
        results.push(await analyse(file, index, der, trust, crls, args.now));
      }
    } catch (error) {
      results.push(failure(file, error));
    }
  }
  return results;
}

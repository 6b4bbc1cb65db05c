/**
 * The trust store behind Paramètres › « Autorités de certification et révocation » and behind every card check:
 * CA certificates trusted because their SHA-256 is a known IGC-Santé one or because the user confirmed them, and
 * CRLs accepted only when a trusted CA signed them, kept on disk for offline use.
 */
import {
  caValidityAt,
  describeCa,
  findCrlSigner,
  isCrlStale,
  MAX_CRL_FILE_BYTES,
  parseCrlFile,
  splitCertificateFile,
} from '../../../shared/certificates';
import type { CaDescription, CrlDescription, KnownCas } from '../../../shared/certificates';
import type {
  CaImportInput,
  CaImportOutcome,
  CrlImportInput,
  CrlUpdateOutcome,
  TrustedCaView,
  TrustStoreView,
} from '../../../shared/contract/cards';
import type { TrustMaterial } from '../../../shared/desk/card-report';
import { MAX_CRL_IMPORT_BYTES } from '../../../shared/contract/cards';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import { downloadCrl } from './crl-download';
import { candidate, contractError, decodeBase64, withFileName } from './trust-helpers';
import type { FetchLike } from './crl-download';
import { readApprovals, readFolder, removeFile, trustPaths, writeApprovals, writeAtomically } from './trust-folder';

/** The trust store port. */
export type TrustStoreService = {
  view(): Promise<TrustStoreView>;
  importCas(input: CaImportInput): Promise<CaImportOutcome>;
  importCrl(input: CrlImportInput): Promise<TrustStoreView>;
  updateCrls(): Promise<CrlUpdateOutcome>;
  removeCa(sha256: string): Promise<TrustStoreView>;
  /** Anchors and verified CRLs for the card checks. */
  material(): Promise<TrustMaterial>;
};

export type TrustStoreDeps = {
  dataDir: string;
  knownCas: KnownCas;
  logger: Logger;
  fetch?: FetchLike;
  now?: () => Date;
  downloadTimeoutMs?: number;
};

type StoredCa = CaDescription & { origin: TrustedCaView['origin'] };
type StoredCrl = CrlDescription & { id: string; signerSha256: string };

const ANY_CA_FILE = /\.(cer|crt|der|pem|p7b|p7c)$/i;
const CRL_FILE = /\.(crl|pem)$/i;

/** Create the trust store over `dataDir`. */
export function createTrustStoreService(deps: TrustStoreDeps): TrustStoreService {
  const now = deps.now ?? (() => new Date());
  const paths = trustPaths(deps.dataDir);
  const fetchFn: FetchLike = deps.fetch ?? ((url, init) => fetch(url, init));

  const loadCas = async (): Promise<StoredCa[]> => {
    const approvals = await readApprovals(deps.dataDir, deps.logger);
    const manual = new Set(approvals.manual.map((a) => a.sha256));
    const seen = new Set<string>();
    const cas: StoredCa[] = [];
    for (const file of await readFolder(paths.cas, ANY_CA_FILE, deps.logger)) {
      try {
        for (const der of splitCertificateFile(file.bytes)) {
          const ca = await describeCa(der, deps.knownCas);
          if (seen.has(ca.sha256)) {
            continue;
          }
          seen.add(ca.sha256);
          // A dropped file is trusted only for what it is (a known IGC-Santé CA) or after an explicit confirmation.
          const origin = ca.known !== null ? 'known' : manual.has(ca.sha256) ? 'manual' : 'unapproved';
          cas.push({ ...ca, origin });
        }
      } catch (error) {
        deps.logger.warn('trust file skipped', { file: file.name, error: String(error) });
      }
    }
    return cas;
  };

  const trusted = (cas: readonly StoredCa[]) => cas.filter((ca) => ca.origin !== 'unapproved');

  const loadCrls = async (cas: readonly StoredCa[]): Promise<StoredCrl[]> => {
    const anchors = trusted(cas).map((ca) => ca.der);
    const crls: StoredCrl[] = [];
    for (const file of await readFolder(paths.crls, CRL_FILE, deps.logger)) {
      try {
        const crl = parseCrlFile(file.bytes);
        const signer = await findCrlSigner(crl, anchors);
        if (signer.status !== 'verified') {
          deps.logger.warn('crl ignored', { file: file.name, reason: signer.status });
          continue;
        }
        const signerSha256 = cas.find((ca) => Buffer.from(ca.der).equals(signer.caDer))?.sha256 ?? '';
        crls.push({ ...crl, id: file.name, signerSha256 });
      } catch (error) {
        deps.logger.warn('crl file skipped', { file: file.name, error: String(error) });
      }
    }
    return crls;
  };

  const view = async (): Promise<TrustStoreView> => {
    const cas = await loadCas();
    const crls = await loadCrls(cas);
    const at = now();
    return {
      cas: cas.map((ca) => ({
        sha256: ca.sha256,
        name: ca.name,
        subject: ca.subject,
        notBefore: ca.notBefore.toISOString(),
        notAfter: ca.notAfter.toISOString(),
        validity: caValidityAt(ca, at),
        isSelfSigned: ca.isSelfSigned,
        origin: ca.origin,
        knownName: ca.known?.name ?? null,
        environment: ca.known?.environment ?? null,
        crlUrl: ca.known?.crlUrl ?? null,
        ...(ca.known === null ? {} : { crlUrlVerified: ca.known.crlUrlSource !== 'inferred' }),
      })),
      crls: crls.map((crl) => ({
        id: crl.id,
        issuer: crl.issuer,
        issuerName: crl.issuerName,
        thisUpdate: crl.thisUpdate.toISOString(),
        nextUpdate: crl.nextUpdate?.toISOString() ?? null,
        isStale: isCrlStale(crl, at),
        revokedCount: crl.revokedCount,
      })),
    };
  };

  /** Verify a CRL against the trusted CAs and keep it, one file per signing CA (a newer one replaces it). */
  const keepCrl = async (crl: CrlDescription, cas: readonly StoredCa[]): Promise<void> => {
    const signer = await findCrlSigner(
      crl,
      trusted(cas).map((ca) => ca.der),
    );
    if (signer.status === 'issuer-untrusted') {
      throw new AppError('trust.crl-issuer-untrusted', { details: { issuer: crl.issuer } });
    }
    if (signer.status === 'signature-invalid') {
      throw new AppError('trust.crl-signature-invalid', { details: { issuer: crl.issuer } });
    }
    const ca = cas.find((c) => Buffer.from(c.der).equals(signer.caDer));
    await writeAtomically(paths.crls, `${ca?.sha256 ?? 'unknown'}.crl`, crl.der);
  };

  return {
    view,

    async importCas(input) {
      const bytes = decodeBase64(input.fileName, input.contentBase64);
      let offered: CaDescription[];
      try {
        offered = [];
        for (const der of splitCertificateFile(bytes)) {
          offered.push(await describeCa(der, deps.knownCas));
        }
      } catch (error) {
        throw withFileName(error, input.fileName, 'trust.ca-file-unreadable');
      }
      const current = await loadCas();
      const trustedNow = new Set(trusted(current).map((ca) => ca.sha256));
      const unknown = offered.filter((ca) => ca.known === null && !trustedNow.has(ca.sha256));
      if (unknown.length > 0 && !input.confirmUnknown) {
        return {
          status: 'needs-confirmation',
          candidates: offered.map((ca) => candidate(ca, trustedNow.has(ca.sha256))),
        };
      }
      const added = offered.filter((ca) => !trustedNow.has(ca.sha256));
      for (const ca of added) {
        await writeAtomically(paths.cas, `${ca.sha256}.cer`, ca.der);
      }
      if (unknown.length > 0) {
        const approvals = await readApprovals(deps.dataDir, deps.logger);
        const addedAt = now().toISOString();
        const known = new Set(approvals.manual.map((a) => a.sha256));
        approvals.manual.push(
          ...unknown.filter((ca) => !known.has(ca.sha256)).map((ca) => ({ sha256: ca.sha256, addedAt })),
        );
        await writeApprovals(deps.dataDir, approvals);
      }
      deps.logger.info('trust store: CAs imported', { added: added.length, manual: unknown.length });
      return {
        status: 'imported',
        added: added.map((ca) => candidate(ca, false)),
        alreadyTrusted: offered.filter((ca) => trustedNow.has(ca.sha256)).map((ca) => candidate(ca, true)),
        store: await view(),
      };
    },

    async importCrl(input) {
      // CRLs of the big CAs outgrow a CA file's bound: their own, larger one.
      const bytes = decodeBase64(input.fileName, input.contentBase64, MAX_CRL_IMPORT_BYTES);
      try {
        await keepCrl(parseCrlFile(bytes), await loadCas());
      } catch (error) {
        throw withFileName(error, input.fileName, 'trust.crl-unreadable');
      }
      return view();
    },

    async updateCrls() {
      const cas = trusted(await loadCas());
      const results: CrlUpdateOutcome['results'] = [];
      for (const ca of cas) {
        const url = ca.known?.crlUrl ?? null;
        const line = { sha256: ca.sha256, name: ca.name, url };
        if (url === null) {
          results.push({
            ...line,
            ok: false,
            nextUpdate: null,
            error: contractError(new AppError('trust.no-crl-url')),
          });
          continue;
        }
        try {
          const bytes = await downloadCrl(fetchFn, url, {
            timeoutMs: deps.downloadTimeoutMs ?? 15_000,
            maxBytes: MAX_CRL_FILE_BYTES,
          });
          const crl = parseCrlFile(bytes);
          const signer = await findCrlSigner(crl, [ca.der]);
          if (signer.status !== 'verified') {
            throw new AppError(
              signer.status === 'issuer-untrusted' ? 'trust.crl-issuer-untrusted' : 'trust.crl-signature-invalid',
              { details: { issuer: crl.issuer, url } },
            );
          }
          await writeAtomically(paths.crls, `${ca.sha256}.crl`, crl.der);
          results.push({ ...line, ok: true, nextUpdate: crl.nextUpdate?.toISOString() ?? null, error: null });
        } catch (error) {
          const typed =
            error instanceof AppError
              ? error
              : new AppError('trust.download-failed', { details: { url, reason: 'network' }, cause: error });
          deps.logger.warn('crl update failed', { url, code: typed.code });
          results.push({ ...line, ok: false, nextUpdate: null, error: contractError(typed, { url }) });
        }
      }
      return { results, store: await view() };
    },

    async removeCa(sha256) {
      const wanted = sha256.toUpperCase();
      const cas = await loadCas();
      if (!cas.some((ca) => ca.sha256 === wanted)) {
        throw new AppError('trust.ca-not-found', { details: { sha256: wanted } });
      }
      await removeFile(paths.cas, `${wanted}.cer`);
      await removeFile(paths.crls, `${wanted}.crl`);
      const approvals = await readApprovals(deps.dataDir, deps.logger);
      await writeApprovals(deps.dataDir, { ...approvals, manual: approvals.manual.filter((a) => a.sha256 !== wanted) });
      return view();
    },

    async material() {
      const cas = await loadCas();
      const anchors = trusted(cas);
      const crls = await loadCrls(cas);
      return {
        // Every trusted CA is an anchor: each one was accepted for itself (known fingerprint or confirmation).
        trust: anchors.length === 0 ? null : { roots: anchors.map((ca) => ca.der), intermediates: [] },
        crls: crls.map((crl) => crl.der),
      };
    },
  };
}

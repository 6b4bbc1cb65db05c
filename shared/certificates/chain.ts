/**
 * Chain verification against a supplied trust set (roots + intermediates as DER), and CRL revocation checks.
 *
 * The app never trusts the OS store implicitly here: callers pass the anchors they verified (IGC-Santé
 * fingerprints, tenant trust store, imported file).
 */
import { bytesEqual } from '../cards/hex';
import { parseCertificate, plainBytes } from './load';
import { parseX509Crl } from './crl';
import type { x509 } from './x509';

/**
 * A trust set: `roots` are the anchors (self-signed roots, or any CA the user explicitly trusts), `intermediates`
 * only help build the path and are trusted through an anchor.
 */
export type TrustSet = { roots: readonly Uint8Array[]; intermediates: readonly Uint8Array[] };

/** Outcome of chain building. */
export type ChainStatus = 'valid' | 'untrusted' | 'invalid-signature' | 'ca-expired' | 'unknown';

/** Chain result: status, the subjects from leaf to anchor, and the anchor's DER when the chain is valid. */
export type ChainResult = { status: ChainStatus; path: string[]; anchor?: Uint8Array };

/** Revocation status against the supplied CRLs. */
export type RevocationStatus = 'good' | 'revoked' | 'unknown-no-crl' | 'crl-expired';

/** Revocation result. */
export type RevocationResult = { status: RevocationStatus; revokedAt?: Date; crlNextUpdate?: Date };

type Cert = InstanceType<typeof x509.X509Certificate>;

const MAX_CHAIN_LENGTH = 8;

type Crl = InstanceType<typeof x509.X509Crl>;
type CachedCrl = { bytes: Uint8Array; crl: Crl; verdicts: { issuer: Uint8Array; ok: boolean }[] };

/**
 * Parsed CRLs by content: an IGC-Santé CRL runs to megabytes and parses in about a second, and every card read
 * checks the same few. A hit is confirmed on the full bytes, so a renewed CRL (or any other file) is parsed afresh.
 */
const crlCache = new Map<string, CachedCrl>();
const CRL_CACHE_SIZE = 16;

function crlCacheKey(bytes: Uint8Array): string {
  // Length and the tail (inside the signature, which differs between any two CRLs) pick the candidate.
  let tail = '';
  for (const byte of bytes.subarray(Math.max(0, bytes.length - 48))) {
    tail += byte.toString(16).padStart(2, '0');
  }
  return `${String(bytes.length)}:${tail}`;
}

function cachedCrl(bytes: Uint8Array): CachedCrl {
  const key = crlCacheKey(bytes);
  const hit = crlCache.get(key);
  if (hit !== undefined && bytesEqual(hit.bytes, bytes)) {
    return hit;
  }
  const entry: CachedCrl = { bytes: bytes.slice(), crl: parseX509Crl(plainBytes(bytes)), verdicts: [] };
  crlCache.delete(key);
  crlCache.set(key, entry);
  for (const oldest of crlCache.keys()) {
    if (crlCache.size <= CRL_CACHE_SIZE) {
      break;
    }
    crlCache.delete(oldest);
  }
  return entry;
}

async function crlSignedBy(entry: CachedCrl, issuerDer: Uint8Array, issuer: Cert): Promise<boolean> {
  const known = entry.verdicts.find((verdict) => bytesEqual(verdict.issuer, issuerDer));
  if (known !== undefined) {
    return known.ok;
  }
  const ok = await entry.crl.verify({ publicKey: issuer.publicKey }).catch(() => false);
  entry.verdicts.push({ issuer: issuerDer.slice(), ok });
  return ok;
}

function sameName(a: Cert['subjectName'], b: Cert['subjectName']): boolean {
  return bytesEqual(new Uint8Array(a.toArrayBuffer()), new Uint8Array(b.toArrayBuffer()));
}

async function signedBy(child: Cert, parent: Cert): Promise<boolean> {
  try {
    return await child.verify({ publicKey: parent.publicKey, signatureOnly: true });
  } catch {
    return false;
  }
}

/** Build and verify the chain of `der` up to one of the trust set's roots, checking CA validity at `now`. */
export async function verifyChain(der: Uint8Array, trust: TrustSet | null, now: Date): Promise<ChainResult> {
  if (trust === null || trust.roots.length === 0) {
    return { status: 'unknown', path: [] };
  }
  const roots = trust.roots.map(parseCertificate);
  const pool = [...roots, ...trust.intermediates.map(parseCertificate)];
  let current = parseCertificate(der);
  const path = [current.subject];
  for (let depth = 0; depth < MAX_CHAIN_LENGTH; depth += 1) {
    const anchor = roots.find((r) => bytesEqual(new Uint8Array(r.rawData), new Uint8Array(current.rawData)));
    if (anchor !== undefined && depth > 0) {
      return { status: 'valid', path, anchor: new Uint8Array(anchor.rawData) };
    }
    const candidates = pool.filter((c) => c !== current && sameName(c.subjectName, current.issuerName));
    let parent: Cert | undefined;
    for (const candidate of candidates) {
      if (await signedBy(current, candidate)) {
        parent = candidate;
        break;
      }
    }
    if (parent === undefined) {
      return { status: candidates.length > 0 ? 'invalid-signature' : 'untrusted', path };
    }
    if (now < parent.notBefore || now > parent.notAfter) {
      return { status: 'ca-expired', path: [...path, parent.subject] };
    }
    if (parent === current) {
      break;
    }
    path.push(parent.subject);
    current = parent;
    if (roots.includes(current)) {
      return { status: 'valid', path, anchor: new Uint8Array(current.rawData) };
    }
  }
  return { status: 'untrusted', path };
}

/**
 * Check revocation of `der` against CRLs (DER or PEM bytes); only CRLs of the certificate's issuer count, and
 * only when their signature verifies with the issuer certificate if one is supplied.
 */
export async function checkRevocation(
  der: Uint8Array,
  crls: readonly Uint8Array[],
  now: Date,
  issuerDer?: Uint8Array,
): Promise<RevocationResult> {
  const cert = parseCertificate(der);
  const issuer = issuerDer === undefined ? null : parseCertificate(issuerDer);
  let expired: RevocationResult | null = null;
  for (const bytes of crls) {
    let cached: CachedCrl;
    try {
      cached = cachedCrl(bytes);
    } catch {
      continue;
    }
    const { crl } = cached;
    if (!sameName(crl.issuerName, cert.issuerName)) {
      continue;
    }
    if (issuer !== null && issuerDer !== undefined && !(await crlSignedBy(cached, issuerDer, issuer))) {
      continue;
    }
    const entry = crl.findRevoked(cert);
    if (entry !== null) {
      return { status: 'revoked', revokedAt: entry.revocationDate };
    }
    const next = crl.nextUpdate;
    if (next !== undefined && next < now) {
      expired = { status: 'crl-expired', crlNextUpdate: next };
      continue;
    }
    return { status: 'good', ...(next === undefined ? {} : { crlNextUpdate: next }) };
  }
  return expired ?? { status: 'unknown-no-crl' };
}

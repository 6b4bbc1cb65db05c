/**
 * Certificate revocation lists as files: parse DER or PEM, find the trusted CA that signed one, tell a stale one.
 */
import { AppError } from '../errors';
import { formatEntraDn } from '../mapping/dn';
import { plainBytes } from './load';
import { decodeName, nameValues, OID } from './name';
import { x509 } from './x509';

/** Largest CRL accepted (the IGC-Santé person CAs publish CRLs of a few MB). */
export const MAX_CRL_FILE_BYTES = 32 * 1024 * 1024;

/**
 * BER limits for parsing a CRL of `size` bytes. asn1js stops at 10,000 nodes and 16 MB by default — about 1,200
 * revoked serials, far fewer than the IGC-Santé person CAs list — so a real CRL would read as « not a CRL » and
 * revocation stay unknown. The limits follow the file's own size instead (every node takes at least two bytes; the
 * contents of OCTET/BIT STRINGs are parsed once more), which `MAX_CRL_FILE_BYTES` bounds.
 */
export function crlParseOptions(size: number): { berOptions: { maxNodes: number; maxContentLength: number } } {
  return { berOptions: { maxNodes: 2 * size + 1024, maxContentLength: Math.max(size, 1024) } };
}

/** A DER CRL parsed with limits that fit its size (see `crlParseOptions`). */
export function parseX509Crl(der: Uint8Array<ArrayBuffer>): InstanceType<typeof x509.X509Crl> {
  return new x509.X509Crl(der, crlParseOptions(der.length));
}

/** Facts about one CRL, as plain data. */
export type CrlDescription = {
  der: Uint8Array;
  /** Issuer DN in Entra's ASN.1 order. */
  issuer: string;
  /** The issuer's CN, for display. */
  issuerName: string;
  thisUpdate: Date;
  nextUpdate: Date | null;
  revokedCount: number;
};

const PEM_CRL = /-----BEGIN X509 CRL-----([\s\S]*?)-----END X509 CRL-----/;

function pemBody(bytes: Uint8Array): Uint8Array | null {
  // Only the first 64 KB are searched for armour: a binary CRL never starts with text.
  const head = new TextDecoder('latin1').decode(bytes.subarray(0, Math.min(bytes.length, 64 * 1024)));
  if (!head.includes('-----BEGIN X509 CRL-----')) {
    return null;
  }
  const match = PEM_CRL.exec(new TextDecoder('latin1').decode(bytes));
  const clean = (match?.[1] ?? '').replace(/[\r\n\t ]/g, '');
  if (clean.length === 0 || !/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new AppError('trust.crl-unreadable', { details: { reason: 'invalid-pem' } });
  }
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) {
    out[i] = bin.charCodeAt(i);
  }
  return out;
}

/**
 * Parse CRL file bytes (DER or PEM `X509 CRL`).
 *
 * Throws `trust.file-empty`, `trust.file-too-large` or `trust.crl-unreadable`.
 */
export function parseCrlFile(bytes: Uint8Array): CrlDescription {
  if (bytes.length === 0) {
    throw new AppError('trust.file-empty');
  }
  if (bytes.length > MAX_CRL_FILE_BYTES) {
    throw new AppError('trust.file-too-large', { details: { maxBytes: MAX_CRL_FILE_BYTES } });
  }
  try {
    const der = pemBody(bytes) ?? bytes;
    const crl = parseX509Crl(plainBytes(der));
    const issuerDn = decodeName(new Uint8Array(crl.issuerName.toArrayBuffer()));
    if (issuerDn === null) {
      throw new AppError('trust.crl-unreadable', { details: { reason: 'invalid-issuer' } });
    }
    return {
      der: plainBytes(der),
      issuer: formatEntraDn(issuerDn),
      issuerName: nameValues(issuerDn, OID.commonName)[0] ?? formatEntraDn(issuerDn),
      thisUpdate: crl.thisUpdate,
      nextUpdate: crl.nextUpdate ?? null,
      revokedCount: crl.entries.length,
    };
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError('trust.crl-unreadable', { details: { reason: 'not-a-crl' }, cause: error });
  }
}

/** A CRL whose next update has passed no longer proves a certificate good (domain.md §2: offline use). */
export function isCrlStale(crl: Pick<CrlDescription, 'nextUpdate'>, now: Date): boolean {
  return crl.nextUpdate !== null && crl.nextUpdate < now;
}

/** Outcome of looking for the CA that signed a CRL. */
export type CrlSigner =
  { status: 'verified'; caDer: Uint8Array } | { status: 'issuer-untrusted' } | { status: 'signature-invalid' };

/**
 * Find, among `caDers`, the CA whose subject is the CRL's issuer and whose key verifies the CRL's signature.
 */
export async function findCrlSigner(crl: CrlDescription, caDers: readonly Uint8Array[]): Promise<CrlSigner> {
  const parsed = parseX509Crl(plainBytes(crl.der));
  let sawIssuer = false;
  for (const der of caDers) {
    let ca: InstanceType<typeof x509.X509Certificate>;
    try {
      ca = new x509.X509Certificate(plainBytes(der));
    } catch {
      continue;
    }
    const subject = decodeName(new Uint8Array(ca.subjectName.toArrayBuffer()));
    if (subject === null || formatEntraDn(subject) !== crl.issuer) {
      continue;
    }
    sawIssuer = true;
    const ok = await parsed.verify({ publicKey: ca.publicKey }).catch(() => false);
    if (ok) {
      return { status: 'verified', caDer: plainBytes(der) };
    }
  }
  return sawIssuer ? { status: 'signature-invalid' } : { status: 'issuer-untrusted' };
}

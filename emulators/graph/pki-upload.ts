/**
 * PKI `.p7b` uploads. Graph downloads the file from `uploadUrl`, checks `sha256FileHash` and appends its CAs, taking
 * up to 30 minutes with `status: running`. The emulator has no internet: tests and demo mode publish files on its
 * "internet" first (`publishPkiFile`, a real PKCS#7 certs-only bundle); an upload of anything else fails, as an
 * unreachable URL does on Graph. CRL URLs are not in a `.p7b`: uploaded CAs come without one, to be PATCHed.
 */
import { createHash, randomUUID } from 'node:crypto';
import { inspectCertificate } from '../../shared/certificates/inspect';
import type { DistinguishedName } from '../../shared/certificates/name';
import { seq, tlv } from '../card/der';
import type { Entity, PublishedPkiFile, TenantState } from './model';
import { casOf, iso } from './pki-authorities';

/** `signedData` and `data` content types (RFC 5652). */
const oidSignedData = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02);
const oidData = Uint8Array.of(0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x01);

/** A degenerate PKCS#7 SignedData holding only certificates: what `certutil`/OpenSSL write as `.p7b`. */
export function buildP7b(certificates: readonly Uint8Array[]): Uint8Array {
  const signedData = seq(
    Uint8Array.of(0x02, 0x01, 0x01),
    tlv(0x31),
    seq(oidData),
    tlv(0xa0, ...certificates),
    tlv(0x31),
  );
  return seq(oidSignedData, tlv(0xa0, signedData));
}

/** Builds the published file of `certificates` (its SHA-256 is what an admin passes as `sha256FileHash`). */
export function pkiFile(certificates: readonly Uint8Array[]): PublishedPkiFile & { readonly p7b: Uint8Array } {
  const p7b = buildP7b(certificates);
  return { p7b, sha256: createHash('sha256').update(p7b).digest('hex').toUpperCase(), certificates };
}

const shortNames: Record<string, string> = { '2.5.4.6': 'C', '2.5.4.10': 'O', '2.5.4.11': 'OU', '2.5.4.3': 'CN' };
const dn = (name: DistinguishedName): string =>
  name.map((rdn) => rdn.map((a) => `${shortNames[a.oid] ?? a.oid}=${a.value}`).join('+')).join(',');

/** Appends the file's CAs to the container (a CA already in the tenant is skipped); returns the status details. */
function appendCas(tenant: TenantState, pki: Entity, file: PublishedPkiFile, at: number): string {
  const inStore = new Set(
    tenant.pkiConfigurations.flatMap((p) =>
      casOf(p).map((c) => (typeof c.certificate === 'string' ? c.certificate : '')),
    ),
  );
  const parsed = file.certificates.map((der) => ({ der, info: inspectCertificate(der) }));
  const skiOf = new Map(parsed.map((p) => [dn(p.info.subject), p.info.skiHex?.toUpperCase() ?? null]));
  let added = 0;
  let skipped = 0;
  for (const { der, info } of parsed) {
    const certificate = Buffer.from(der).toString('base64');
    if (inStore.has(certificate)) {
      skipped++;
      continue;
    }
    const subject = dn(info.subject);
    const issuer = dn(info.issuer);
    pki.certificateAuthorities = [
      ...casOf(pki),
      {
        id: randomUUID(),
        certificate,
        certificateAuthorityType: subject === issuer ? 'root' : 'intermediate',
        certificateRevocationListUrl: null,
        createdDateTime: iso(at),
        deltaCertificateRevocationListUrl: null,
        displayName: info.holder.commonName,
        expirationDateTime: iso(info.notAfter.getTime()),
        isIssuerHintEnabled: false,
        issuer,
        issuerSubjectKeyIdentifier: skiOf.get(issuer) ?? null,
        thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      },
    ];
    inStore.add(certificate);
    added++;
  }
  return `${String(added)} certificate authorities uploaded${skipped > 0 ? `, ${String(skipped)} already present` : ''}.`;
}

/** Settles a finished upload (lazily, when the container is next touched): `running` becomes `succeeded` or `failed`. */
export function settleUpload(
  tenant: TenantState,
  pki: Entity,
  now: number,
  published: ReadonlyMap<string, PublishedPkiFile> | undefined,
): void {
  const pending = tenant.pkiUploads?.[pki.id];
  if (pending === undefined || now < pending.completesAt) {
    return;
  }
  delete tenant.pkiUploads?.[pki.id];
  pki.lastModifiedDateTime = iso(pending.completesAt);
  const file = published?.get(pending.uploadUrl);
  if (file === undefined) {
    pki.status = 'failed';
    pki.statusDetails = `Unable to download the file from ${pending.uploadUrl}.`;
  } else if (file.sha256.toUpperCase() !== pending.sha256FileHash.toUpperCase()) {
    pki.status = 'failed';
    pki.statusDetails = 'The SHA256 hash of the downloaded file does not match sha256FileHash.';
  } else {
    try {
      pki.statusDetails = appendCas(tenant, pki, file, pending.completesAt);
      pki.status = 'succeeded';
    } catch {
      pki.status = 'failed';
      pki.statusDetails = 'The file is not a valid PKCS#7 certificate bundle.';
    }
  }
}

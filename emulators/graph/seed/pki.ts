/**
 * The IGC-Santé CAs of the `conforme` tenant's PKI trust store: subjects, CRL URLs and expiry from the app's
 * `resources/known-cas.json`, certificates generated at start (ECDSA P-256 look-alikes with the real names, proper
 * SKI/AKI, CA basic constraints). Nothing is read from disk at run time, so demo mode stays self-contained.
 */
import { createHash, generateKeyPairSync, randomBytes, sign } from 'node:crypto';
import type { KeyObject } from 'node:crypto';
import { parseKnownCas } from '../../../shared/certificates/known-cas';
import knownCasJson from '../../../resources/known-cas.json';
import { concatBytes, octets, seq, tlv } from '../../card/der';
import type { Entity } from '../model';

/** One CA of the seeded store, generated. */
export type SeededCa = {
  readonly name: string;
  /** Subject in ASN.1 order, as the x509 rules name it (`C=FR,O=…,CN=…`). */
  readonly subject: string;
  readonly role: 'root' | 'intermediate';
  readonly issuesCards: boolean;
  readonly environment: 'prod' | 'test';
  readonly der: Uint8Array;
  /** SHA-1 of the DER, uppercase hex (Graph's `thumbprint`). */
  readonly thumbprint: string;
  /** Subject key identifier, uppercase hex. */
  readonly ski: string;
  /** The issuer's subject key identifier (its own for a root), uppercase hex. */
  readonly issuerSki: string;
  readonly issuerSubject: string;
  readonly crlUrl: string;
  readonly notAfter: string;
};

type Spec = {
  name: string;
  subject: string;
  role: 'root' | 'intermediate';
  issuesCards: boolean;
  environment: 'prod' | 'test';
  crlUrl: string;
  notAfter: string;
  rootName?: string;
};

const base = 'C=FR,O=ASIP-SANTE,OU=0002 187512751';
const testRoot = (level: 'FORT' | 'STANDARD'): Spec => ({
  // The TEST roots of these levels are not in known-cas.json: names and CRLs follow the published TEST naming.
  name: `TEST AC RACINE IGC-SANTE ${level}`,
  subject: `${base},OU=IGC-SANTE TEST,CN=TEST AC RACINE IGC-SANTE ${level}`,
  role: 'root',
  issuesCards: false,
  environment: 'test',
  crlUrl: `http://igc-sante.esante.gouv.fr/CRL/ACR-${level === 'FORT' ? 'FO' : 'ST'}-TEST.crl`,
  notAfter: '2033-06-25T00:00:00.000Z',
});

/** Card-issuing CAs of known-cas.json (production and TEST) with their roots. */
function specs(): Spec[] {
  const known = parseKnownCas(knownCasJson).cas;
  const issuing = known.filter((c) => c.issuesCards && c.role === 'intermediate');
  const out: Spec[] = [];
  for (const ca of issuing) {
    const level = ca.level.toUpperCase();
    const root =
      ca.environment === 'prod'
        ? known.find((c) => c.role === 'root' && c.environment === 'prod' && c.level === ca.level)
        : undefined;
    const rootSpec: Spec | undefined = root
      ? {
          name: root.name,
          subject: root.subject,
          role: 'root',
          issuesCards: false,
          environment: 'prod',
          crlUrl: root.crlUrl,
          notAfter: root.notAfter ?? '2033-06-25T00:00:00.000Z',
        }
      : level === 'FORT' || level === 'STANDARD'
        ? testRoot(level)
        : undefined;
    if (!rootSpec) {
      continue;
    }
    if (!out.some((s) => s.name === rootSpec.name)) {
      out.push(rootSpec);
    }
    out.push({
      name: ca.name,
      subject: ca.subject,
      role: 'intermediate',
      issuesCards: true,
      environment: ca.environment,
      crlUrl: ca.crlUrl,
      notAfter: ca.notAfter ?? '2033-06-24T00:00:00.000Z',
      rootName: rootSpec.name,
    });
  }
  return out;
}

const oidBytes = (oid: string): Uint8Array => {
  const [a = 0, b = 0, ...rest] = oid.split('.').map(Number);
  const out: number[] = [a * 40 + b];
  for (const n of rest) {
    const chunk: number[] = [];
    let v = n;
    do {
      chunk.unshift(v & 0x7f);
      v = Math.floor(v / 128);
    } while (v > 0);
    out.push(...chunk.map((x, i) => (i < chunk.length - 1 ? x | 0x80 : x)));
  }
  return tlv(0x06, Uint8Array.from(out));
};

const attrOids: Record<string, string> = { C: '2.5.4.6', O: '2.5.4.10', OU: '2.5.4.11', CN: '2.5.4.3' };

/** A Name from `C=FR,O=…,CN=…` (ASN.1 order; values here never contain commas). */
function encodeName(dn: string): Uint8Array {
  const rdns = dn.split(',').map((part) => {
    const eq = part.indexOf('=');
    const key = part.slice(0, eq);
    const value = new TextEncoder().encode(part.slice(eq + 1));
    const oid = attrOids[key];
    if (oid === undefined) {
      throw new Error(`unsupported attribute ${key}`);
    }
    return tlv(0x31, seq(oidBytes(oid), tlv(key === 'C' ? 0x13 : 0x0c, value)));
  });
  return seq(...rdns);
}

const time = (iso: string): Uint8Array => {
  const d = new Date(iso);
  const p = (n: number) => String(n).padStart(2, '0');
  const body = `${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
  return d.getUTCFullYear() < 2050
    ? tlv(0x17, new TextEncoder().encode(`${String(d.getUTCFullYear()).slice(2)}${body}`))
    : tlv(0x18, new TextEncoder().encode(`${String(d.getUTCFullYear())}${body}`));
};

const ext = (oid: string, critical: boolean, value: Uint8Array): Uint8Array =>
  seq(oidBytes(oid), ...(critical ? [Uint8Array.of(0x01, 0x01, 0xff)] : []), octets(value));

const hexOf = (b: Uint8Array): string => Buffer.from(b).toString('hex').toUpperCase();

type Issued = { spec: Spec; keys: { publicKey: KeyObject; privateKey: KeyObject }; ski: Uint8Array; der: Uint8Array };

function issue(spec: Spec, issuer: Issued | undefined): Issued {
  const keys = generateKeyPairSync('ec', { namedCurve: 'P-256' });
  const spki = new Uint8Array(keys.publicKey.export({ type: 'spki', format: 'der' }));
  // RFC 5280 §4.2.1.2 method 1: SHA-1 of the subjectPublicKey BIT STRING value (the 65-byte P-256 point).
  const ski = new Uint8Array(
    createHash('sha1')
      .update(spki.subarray(spki.length - 65))
      .digest(),
  );
  const signer = issuer ?? { spec, keys, ski, der: new Uint8Array() };
  const serial = randomBytes(16);
  serial[0] = ((serial[0] ?? 0) & 0x7f) | 0x10;
  const ecdsaSha256 = seq(oidBytes('1.2.840.10045.4.3.2'));
  const extensions = [
    ext('2.5.29.19', true, seq(Uint8Array.of(0x01, 0x01, 0xff))),
    ext('2.5.29.15', true, Uint8Array.of(0x03, 0x02, 0x01, 0x06)),
    ext('2.5.29.14', false, octets(ski)),
    ext('2.5.29.35', false, seq(tlv(0x80, signer.ski))),
    // An issuing CA's CDP is its root's CRL, as on the real IGC-Santé intermediates.
    ...(issuer
      ? [
          ext(
            '2.5.29.31',
            false,
            seq(seq(tlv(0xa0, tlv(0xa0, tlv(0x86, new TextEncoder().encode(issuer.spec.crlUrl)))))),
          ),
        ]
      : []),
  ];
  const tbs = seq(
    tlv(0xa0, Uint8Array.of(0x02, 0x01, 0x02)),
    tlv(0x02, serial),
    ecdsaSha256,
    encodeName(signer.spec.subject),
    seq(time('2013-06-25T00:00:00Z'), time(spec.notAfter)),
    encodeName(spec.subject),
    spki,
    tlv(0xa3, seq(...extensions)),
  );
  const signature = new Uint8Array(sign('sha256', tbs, signer.keys.privateKey));
  const der = seq(tbs, ecdsaSha256, tlv(0x03, concatBytes(Uint8Array.of(0), signature)));
  return { spec, keys, ski, der };
}

let generated: SeededCa[] | undefined;

/** The seeded IGC-Santé CAs, generated once per process (stable across `seedTenants()` calls). */
export function seededIgcSanteCas(): SeededCa[] {
  if (generated) {
    return generated;
  }
  const issued = new Map<string, Issued>();
  for (const spec of specs()) {
    const root = spec.rootName === undefined ? undefined : issued.get(spec.rootName);
    issued.set(spec.name, issue(spec, root));
  }
  generated = [...issued.values()].map(({ spec, ski, der }) => {
    const root = spec.rootName === undefined ? undefined : issued.get(spec.rootName);
    return {
      name: spec.name,
      subject: spec.subject,
      role: spec.role,
      issuesCards: spec.issuesCards,
      environment: spec.environment,
      der,
      thumbprint: createHash('sha1').update(der).digest('hex').toUpperCase(),
      ski: hexOf(ski),
      issuerSki: hexOf(root?.ski ?? ski),
      issuerSubject: root?.spec.subject ?? spec.subject,
      crlUrl: spec.crlUrl,
      notAfter: spec.notAfter,
    };
  });
  return generated;
}

/** A seeded CA as Graph's `certificateAuthorityDetail`. */
export function certificateAuthorityDetail(ca: SeededCa, id: string): Entity {
  return {
    id,
    certificate: Buffer.from(ca.der).toString('base64'),
    certificateAuthorityType: ca.role,
    certificateRevocationListUrl: ca.crlUrl,
    createdDateTime: '2026-02-01T09:00:00Z',
    deltaCertificateRevocationListUrl: null,
    displayName: ca.name,
    expirationDateTime: ca.notAfter.replace('.000Z', 'Z'),
    isIssuerHintEnabled: false,
    issuer: ca.issuerSubject,
    issuerSubjectKeyIdentifier: ca.issuerSki,
    thumbprint: ca.thumbprint,
  };
}

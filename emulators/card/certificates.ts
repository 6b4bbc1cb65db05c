/**
 * Run-time generator of an IGC-Santé-like TEST hierarchy and of CPx card certificates (RSA 2048), shaped like real
 * cards (domain.md §3): multi-valued UTF-8 subject, SAN UPN `8.<rpps>@carte-cps.fr`, private ASIP extensions.
 * Used by the virtual card, by tests and by demo mode. Nothing here is a real key or a real person.
 */
import 'reflect-metadata';
import * as x509 from '@peculiar/x509';
import { webcrypto } from 'node:crypto';
import { concatBytes, integer, octets, tlv } from './der';

x509.cryptoProvider.set(webcrypto as unknown as Crypto);

const RSA: RsaHashedKeyGenParams = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const TEST_POLICY = '1.2.250.1.213.1.7.2.1.1.1.1';
const CA_BASE: x509.JsonName = [
  { C: ['FR'] },
  { O: ['ASIP-SANTE'] },
  { OU: ['0002 187512751'] },
  { OU: ['IGC-SANTE TEST'] },
];
const CRL_URL = 'http://igc-sante.esante.gouv.fr/CRL/ACI-FO-PP-TEST.crl';
const CRL_LDAP =
  'ldap://annuaire-igc.esante.gouv.fr/cn=TEST%20AC%20IGC-SANTE%20FORT%20PERSONNES,ou=TEST%20AC%20RACINE%20IGC-SANTE%20FORT,ou=IGC-SANTE%20TEST,ou=0002%20187512751,o=ASIP-SANTE,c=FR?certificaterevocationlist;binary?base?objectClass=pkiCA';
const OID = { upn: '1.3.6.1.4.1.311.20.2.3', smartcardLogon: '1.3.6.1.4.1.311.20.2.2', asip: '1.2.250.1.71.1.2' };

/** The TEST root and the TEST FORT PERSONNES intermediate, with their keys. */
export type TestPki = {
  readonly root: x509.X509Certificate;
  readonly rootKeys: CryptoKeyPair;
  readonly ca: x509.X509Certificate;
  readonly caKeys: CryptoKeyPair;
};

/** Who the card belongs to. `idType` is the CN's first digit (8 RPPS, 0 ADELI…). */
export type Practitioner = {
  readonly nationalId: string;
  readonly idType: '8' | '0' | '3' | '5';
  readonly givenName: string;
  readonly surname: string;
  readonly profession: string;
  readonly professionCode: number;
  readonly cardNumber: string;
  /** 0 CPS, 1 CPF, 2 CPE, 3 CPA. */
  readonly cardType: 0 | 1 | 2 | 3;
};

/** A generated certificate with its serial (big-endian hex) and key pair. */
export type IssuedCertificate = {
  readonly der: Uint8Array;
  readonly serialHex: string;
  readonly certificate: x509.X509Certificate;
};

/** Both certificates of one card. */
export type CardCertificates = { readonly authentication: IssuedCertificate; readonly signature: IssuedCertificate };

/** The default persona: accents in both names, as the subject must survive them. */
export const DEFAULT_PRACTITIONER: Practitioner = {
  nationalId: '10101234567',
  idType: '8',
  givenName: 'Hélène',
  surname: 'LÉGER-DUPRÉ',
  profession: 'Médecin',
  professionCode: 10,
  cardNumber: '2801234567',
  cardType: 0,
};

const generateKeys = async (): Promise<CryptoKeyPair> =>
  await webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']);

/** 16 random bytes, first bit cleared so the INTEGER stays positive and 16 bytes long. */
function serial16(): string {
  const bytes = webcrypto.getRandomValues(new Uint8Array(16));
  bytes[0] = ((bytes[0] ?? 0) & 0x7f) | 0x10;
  return Buffer.from(bytes).toString('hex');
}

/** Creates a fresh TEST hierarchy (two RSA 2048 keys). */
export async function createTestPki(now: Date = new Date()): Promise<TestPki> {
  const rootKeys = await generateKeys();
  const caKeys = await generateKeys();
  const rootName = [...CA_BASE, { CN: ['TEST AC RACINE IGC-SANTE FORT'] }];
  const caName = [...CA_BASE, { CN: ['TEST AC IGC-SANTE FORT PERSONNES'] }];
  const notBefore = new Date(now.getTime() - 365 * 86_400_000);
  const notAfter = new Date(now.getTime() + 10 * 365 * 86_400_000);
  const root = await x509.X509CertificateGenerator.createSelfSigned({
    serialNumber: serial16(),
    name: rootName,
    notBefore,
    notAfter,
    keys: rootKeys,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, undefined, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(rootKeys.publicKey),
    ],
  });
  const ca = await x509.X509CertificateGenerator.create({
    serialNumber: serial16(),
    subject: caName,
    issuer: root.subject,
    notBefore,
    notAfter,
    publicKey: caKeys.publicKey,
    signingKey: rootKeys.privateKey,
    signingAlgorithm: RSA,
    extensions: [
      new x509.BasicConstraintsExtension(true, 0, true),
      new x509.KeyUsagesExtension(x509.KeyUsageFlags.keyCertSign | x509.KeyUsageFlags.cRLSign, true),
      await x509.SubjectKeyIdentifierExtension.create(caKeys.publicKey),
      await x509.AuthorityKeyIdentifierExtension.create(rootKeys.publicKey),
      new x509.CertificatePolicyExtension(['2.5.29.32.0']),
      new x509.CRLDistributionPointsExtension(['http://igc-sante.esante.gouv.fr/CRL/ACR-FO-TEST.crl']),
    ],
  });
  return { root, rootKeys, ca, caKeys };
}

let sharedPki: Promise<TestPki> | undefined;

/** One hierarchy per process: key generation is the slow part, and every card of a run chains to the same CA. */
export function getSharedTestPki(): Promise<TestPki> {
  sharedPki ??= createTestPki();
  return sharedPki;
}

/** The subject `C=FR, title=…, {SN + GN + CN}`; the multi-valued RDN is ordered as DER SET OF requires. */
function subjectName(person: Practitioner): x509.Name {
  const utf = (value: string) => [{ utf8String: value }];
  const members: [string, string][] = [
    ['2.5.4.4', person.surname],
    ['2.5.4.42', person.givenName],
    ['2.5.4.3', `${person.idType}${person.nationalId}`],
  ];
  // DER orders SET OF by encoding: shorter AttributeTypeAndValue first, then bytes.
  const encodedLength = ([, value]: [string, string]) => new TextEncoder().encode(value).length;
  members.sort((a, b) => encodedLength(a) - encodedLength(b) || (a[0] < b[0] ? -1 : 1));
  const multi: Record<string, { utf8String: string }[]> = {};
  for (const [oid, value] of members) {
    multi[oid] = utf(value);
  }
  return new x509.Name([{ C: [{ printableString: 'FR' }] }, { '2.5.4.12': utf(person.profession) }, multi]);
}

/** A non-critical private extension whose value is the given DER. */
const privateExtension = (arc: number, value: Uint8Array) =>
  new x509.Extension(`${OID.asip}.${arc}`, false, new Uint8Array(value));

/** The ASIP private extensions: test card flag, card type, issuer/card number, profession. */
function asipExtensions(person: Practitioner): x509.Extension[] {
  const printable = tlv(0x13, new TextEncoder().encode(`8025000001/${person.cardNumber}`));
  return [
    privateExtension(5, octets(Uint8Array.of(0x80))),
    privateExtension(2, integer(person.cardType)),
    privateExtension(3, printable),
    privateExtension(7, integer(person.professionCode)),
  ];
}

/** SubjectAltName with one otherName UPN (UTF8String), built by hand to control the exact encoding. */
function upnSan(upn: string): x509.Extension {
  const oid = Uint8Array.from([0x06, 0x0a, 0x2b, 0x06, 0x01, 0x04, 0x01, 0x82, 0x37, 0x14, 0x02, 0x03]);
  const otherName = tlv(0xa0, concatBytes(oid, tlv(0xa0, tlv(0x0c, new TextEncoder().encode(upn)))));
  return new x509.Extension('2.5.29.17', false, new Uint8Array(tlv(0x30, otherName)));
}

/** Issues the authentication and signature certificates of one card under `pki.ca`. */
export async function issueCardCertificates(
  pki: TestPki,
  person: Practitioner = DEFAULT_PRACTITIONER,
  now: Date = new Date(),
  options: CertificateSizeOptions = {},
): Promise<CardCertificates> {
  const notBefore = new Date(now.getTime() - 30 * 86_400_000);
  const notAfter = new Date(notBefore.getTime() + 3 * 365 * 86_400_000);
  const common = async (keys: CryptoKeyPair) => [
    new x509.BasicConstraintsExtension(false),
    await x509.SubjectKeyIdentifierExtension.create(keys.publicKey),
    await x509.AuthorityKeyIdentifierExtension.create(pki.caKeys.publicKey),
    new x509.CertificatePolicyExtension([TEST_POLICY]),
    new x509.CRLDistributionPointsExtension([CRL_URL, CRL_LDAP]),
    new x509.AuthorityInfoAccessExtension({
      ocsp: 'http://ocsp.esante.gouv.fr',
      caIssuers: 'http://igc-sante.esante.gouv.fr/AC%20TEST/ACI-FO-PP-TEST.cer',
    }),
    ...asipExtensions(person),
  ];
  const issue = async (keys: CryptoKeyPair, extensions: x509.Extension[]): Promise<IssuedCertificate> => {
    const serialHex = serial16();
    const certificate = await x509.X509CertificateGenerator.create({
      serialNumber: serialHex,
      subject: subjectName(person),
      issuer: pki.ca.subject,
      notBefore,
      notAfter,
      publicKey: keys.publicKey,
      signingKey: pki.caKeys.privateKey,
      signingAlgorithm: RSA,
      extensions,
    });
    return { der: new Uint8Array(certificate.rawData), serialHex, certificate };
  };
  const authKeys = await generateKeys();
  const signKeys = await generateKeys();
  const upn = `${person.idType}.${person.nationalId}@carte-cps.fr`;
  const authExtensions = [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, OID.smartcardLogon]),
    upnSan(upn),
    ...(await common(authKeys)),
  ];
  let authentication = await issue(authKeys, authExtensions);
  const target = options.authenticationBytes ?? 0;
  // Grow to the requested size with a padding extension; the length prefixes shift by a byte or two, so converge
  // in a few bounded rounds.
  let padding = 0;
  for (
    let round = 0;
    round < 4 && authentication.der.length !== target && target > authentication.der.length;
    round += 1
  ) {
    padding += target - authentication.der.length;
    authentication = await issue(authKeys, [...authExtensions, paddingExtension(padding)]);
  }
  const signature = await issue(signKeys, [
    new x509.KeyUsagesExtension(x509.KeyUsageFlags.nonRepudiation, true),
    new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.emailProtection]),
    ...(await common(signKeys)),
  ]);
  return { authentication, signature };
}

/** Size knobs of generated card certificates. */
export type CertificateSizeOptions = {
  /** Pad the authentication certificate to about this many DER bytes (real CPS3 certificates run to ~2.3 KB). */
  readonly authenticationBytes?: number;
};

/** Non-critical extension (private test OID) holding a UTF8String of `bytes` bytes in total, tag and length included. */
function paddingExtension(bytes: number): x509.Extension {
  // Overhead of the extension itself (SEQUENCE, OID, OCTET STRING headers) is about 20 bytes.
  const contentLength = Math.max(1, bytes - 20);
  const lengthBytes =
    contentLength < 0x80
      ? [contentLength]
      : contentLength < 0x100
        ? [0x81, contentLength]
        : [0x82, contentLength >> 8, contentLength & 0xff];
  const value = Uint8Array.from([0x0c, ...lengthBytes, ...new Array<number>(contentLength).fill(0x50)]);
  return new x509.Extension('1.3.6.1.4.1.55555.1.1', false, value);
}

/** A CRL of the TEST FORT PERSONNES CA revoking the given serials (big-endian hex). */
export async function createCrl(
  pki: TestPki,
  revokedSerials: readonly string[],
  now = new Date(),
): Promise<Uint8Array> {
  const crl = await x509.X509CrlGenerator.create({
    issuer: pki.ca.subject,
    thisUpdate: now,
    nextUpdate: new Date(now.getTime() + 7 * 86_400_000),
    signingKey: pki.caKeys.privateKey,
    signingAlgorithm: RSA,
    entries: revokedSerials.map((serialNumber) => ({
      serialNumber,
      revocationDate: now,
      reason: x509.X509CrlReason.keyCompromise,
    })),
  });
  return new Uint8Array(crl.rawData);
}

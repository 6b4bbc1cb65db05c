import { createHash, X509Certificate as NodeX509 } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  certificateUserIdsFromDer,
  formatEntraDn,
  isValidCertificateUserId,
  MAPPING_FORMS,
  quoteValue,
  reverseSerialHex,
  dnRiskFactors,
} from '../../../shared/mapping';
import { der, generatePki, type GeneratedPki } from '../../fixtures/certs/generate';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/test-end-entity/', import.meta.url));
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(CERTS + name));

// Expected strings derived with `openssl x509 -nameopt sep_comma_plus,utf8 -subject -issuer -serial
// -fingerprint -sha1 -ext subjectKeyIdentifier,subjectAltName`, renamed with the Entra table (ST→S, title→T,
// GN→G) and the serial bytes reversed by hand.
const PUBLIC_CASES = [
  {
    file: '2600301752-Auth.crt',
    expected: {
      PrincipalName: 'X509:<PN>30B0057881/CPET0002@carte-cps.fr',
      RFC822Name: null,
      IssuerAndSubject:
        'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE STANDARD PERSONNES' +
        '<S>C=FR,S=Paris (75),O=HOPITAL DES 3 DAMES,OU=10B0057881,T=Personnel santé ou social,' +
        'G=CHARLES+CN=30B0057881/CPET0002+SN=ADMINISTRATIF-CH057880002',
      Subject:
        'X509:<S>C=FR,S=Paris (75),O=HOPITAL DES 3 DAMES,OU=10B0057881,T=Personnel santé ou social,' +
        'G=CHARLES+CN=30B0057881/CPET0002+SN=ADMINISTRATIF-CH057880002',
      SKI: 'X509:<SKI>3F0F9C73269D3B91CB041B38E994B4D304C5A897',
      SHA1PublicKey: 'X509:<SHA1-PUKEY>2BF7A1E1097B088F16E7A3B6C17B93FE683677D2',
      IssuerAndSerialNumber:
        'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE STANDARD PERSONNES' +
        '<SR>d417b34febe81494d1be34934b87c26b',
    },
  },
  {
    file: 'test-cps-fort-personnes-signature.der',
    expected: {
      PrincipalName: null,
      RFC822Name: null,
      IssuerAndSubject:
        'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE FORT PERSONNES' +
        '<S>C=FR,T=Infirmier,G=OLIVIER+CN=00B6087510+SN=INFIRMCS ADELI8751',
      Subject: 'X509:<S>C=FR,T=Infirmier,G=OLIVIER+CN=00B6087510+SN=INFIRMCS ADELI8751',
      SKI: 'X509:<SKI>501BCFE19F6452E7BCB53A91FC8399CC36C71904',
      SHA1PublicKey: 'X509:<SHA1-PUKEY>19182C88EE69967C5F957FA5052971F119B0AC94',
      IssuerAndSerialNumber:
        'X509:<I>C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE FORT PERSONNES' +
        '<SR>449b0225d56567e0dc4b03c8cfffda63',
    },
  },
  {
    file: 'test-gipcps-classe1-auth.der',
    expected: {
      PrincipalName: 'X509:<PN>0.0B1058110@carte-cps.fr',
      RFC822Name: null,
      IssuerAndSubject:
        'X509:<I>C=FR,O=TEST,OU=TEST PROFESSIONNEL,CN=TEST CLASSE-1' +
        '<S>C=FR,O=TEST,OU=Médecin,CN=00B1058110+SN=MAXIMAXIMAXIMAXIMAXIMAX5811+G=MUMUMUMUMUMUMUMUMUMUMUMUMUM',
      Subject:
        'X509:<S>C=FR,O=TEST,OU=Médecin,CN=00B1058110+SN=MAXIMAXIMAXIMAXIMAXIMAX5811+G=MUMUMUMUMUMUMUMUMUMUMUMUMUM',
      SKI: 'X509:<SKI>B1ACAFFE4FC9A7A2589D9DDBA5E11AFA1B5A0778',
      SHA1PublicKey: 'X509:<SHA1-PUKEY>45B37A5DAEFA55AD2137300CDC315263B9C890A5',
      IssuerAndSerialNumber: 'X509:<I>C=FR,O=TEST,OU=TEST PROFESSIONNEL,CN=TEST CLASSE-1<SR>17974c',
    },
  },
];

describe('certificateUserIds of the public TEST CPx certificates', () => {
  it.each(PUBLIC_CASES)('computes the seven forms of $file byte-exact', async ({ file, expected }) => {
    const { values } = await certificateUserIdsFromDer(load(file));
    expect(values).toEqual(expected);
    for (const value of Object.values(values)) {
      if (value !== null) {
        expect(isValidCertificateUserId(value)).toBe(true);
        expect(value).not.toMatch(/, /);
      }
    }
  });
});

describe('reverseSerialHex', () => {
  it.each([
    ['48efa06ba8127299499b069f133441b2', 'b24134139f069b49997212a86ba0ef48'], // seed 004 (certutil example)
    ['48:EF:A0:6B:A8:12:72:99:49:9B:06:9F:13:34:41:B2', 'b24134139f069b49997212a86ba0ef48'],
    ['4C9717', '17974c'],
    ['00c3a1', 'a1c300'],
    ['abc', 'bc0a'],
  ])('%s → %s', (input, output) => {
    expect(reverseSerialHex(input)).toBe(output);
  });
});

describe('certificateUserIds of a generated CPx-like certificate', () => {
  let pki: GeneratedPki;
  beforeAll(async () => {
    pki = await generatePki();
  });

  it('renders accents, title and the multi-valued RDN in encoded order, and the serial with its sign byte', async () => {
    const authDer = der(pki.auth);
    const node = new NodeX509(authDer);
    const spki = node.publicKey.export({ type: 'spki', format: 'der' });
    // SKI per RFC 5280 method 1: SHA-1 of the subjectPublicKey BIT STRING contents (RSA: after the 24-byte prefix).
    const ski = createHash('sha1').update(spki.subarray(24)).digest('hex').toUpperCase();
    const thumb = createHash('sha1').update(authDer).digest('hex').toUpperCase();
    const issuer = 'C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE FORT PERSONNES';
    const subject = 'C=FR,T=Médecin,SN=DUPONT-ÉLOÏSE+G=Hélène+CN=810001234567';
    const { values } = await certificateUserIdsFromDer(authDer);
    expect(values).toEqual({
      PrincipalName: 'X509:<PN>8.10001234567@carte-cps.fr',
      RFC822Name: null,
      IssuerAndSubject: `X509:<I>${issuer}<S>${subject}`,
      Subject: `X509:<S>${subject}`,
      SKI: `X509:<SKI>${ski}`,
      SHA1PublicKey: `X509:<SHA1-PUKEY>${thumb}`,
      IssuerAndSerialNumber: `X509:<I>${issuer}<SR>7e6d5c4b3a291807f6e5d4c3b2a1c300`,
    });
  });
});

describe('Entra DN rendering', () => {
  it.each([
    ['plain', 'Personnel santé ou social', 'Personnel santé ou social'],
    ['comma', 'DUPONT, Jean', '"DUPONT, Jean"'],
    ['plus', 'A+B', '"A+B"'],
    ['quote', 'Le "grand"', '"Le ""grand"""'],
    ['leading space', ' X', '" X"'],
    ['empty', '', '""'],
  ])('quotes a %s value as CertNameToStr would', (_name, value, expected) => {
    expect(quoteValue(value)).toBe(expected);
  });

  it('names unknown attribute types OID.<dotted> and keeps non-string values as #hex', () => {
    const name = [
      [{ oid: '1.2.3.4', value: 'x', isString: true }],
      [{ oid: '2.5.4.5', value: '#020101', isString: false }],
      [{ oid: '0.9.2342.19200300.100.1.25', value: 'fr', isString: true }],
      [{ oid: '1.2.840.113549.1.9.1', value: 'a@b.fr', isString: true }],
    ];
    expect(formatEntraDn(name)).toBe('OID.1.2.3.4=x,SERIALNUMBER=#020101,DC=fr,E=a@b.fr');
  });

  it('flags what makes Subject bindings fragile', () => {
    const name = [
      [{ oid: '2.5.4.12', value: 'Médecin', isString: true }],
      [
        { oid: '2.5.4.4', value: 'A', isString: true },
        { oid: '2.5.4.3', value: 'B', isString: true },
      ],
    ];
    expect(dnRiskFactors(name)).toEqual(['multi-valued-rdn', 'title-attribute', 'non-ascii']);
  });

  it('recommends PrincipalName and SKI, flags Subject forms risky and SHA1-PUKEY ambiguous', () => {
    const recommended = Object.entries(MAPPING_FORMS)
      .filter(([, f]) => f.recommended)
      .map(([k]) => k);
    expect(recommended).toEqual(['PrincipalName', 'SKI']);
    expect(MAPPING_FORMS.Subject.risky && MAPPING_FORMS.IssuerAndSubject.risky).toBe(true);
    expect(MAPPING_FORMS.SHA1PublicKey).toMatchObject({ ambiguous: true, recommended: false });
  });
});

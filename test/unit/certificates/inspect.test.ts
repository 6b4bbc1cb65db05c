import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectCertificate, validityAt } from '../../../shared/certificates';
import { parseIdentifier } from '../../../shared/certificates/inspect';
import { der, generatePki, type GeneratedPki } from '../../fixtures/certs/generate';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(CERTS + name));

describe('inspectCertificate on the public TEST certificates', () => {
  it.each([
    {
      file: 'test-end-entity/2600301752-Auth.crt',
      expected: {
        role: 'authentication',
        kind: 'cpx-auth',
        holder: {
          surname: 'ADMINISTRATIF-CH057880002',
          givenName: 'CHARLES',
          commonName: '30B0057881/CPET0002',
          title: 'Personnel santé ou social',
          organization: 'HOPITAL DES 3 DAMES',
          organizationalUnits: ['10B0057881'],
        },
        identifier: { type: 'finess', value: '0B0057881/CPET0002', structureId: '0B0057881', staffNumber: 'CPET0002' },
        cpx: {
          testCard: true,
          cardType: 'CPE',
          cardTypeCode: 2,
          cardIssuerAndNumber: '8025000001/2600301752',
          cardNumber: '2600301752',
          professionCode: null,
        },
        upns: ['30B0057881/CPET0002@carte-cps.fr'],
        isLegacy: false,
        isIgcSante: true,
        crlUrls: [expect.stringContaining('ACI-ST-PP-TEST.crl'), expect.stringMatching(/^ldap:/)],
        policies: ['1.2.250.1.213.1.7.2.1.1.1.1'],
      },
    },
    {
      file: 'test-end-entity/test-cps-fort-personnes-signature.der',
      expected: {
        role: 'signature',
        kind: 'cpx-signature',
        holder: {
          surname: 'INFIRMCS ADELI8751',
          givenName: 'OLIVIER',
          commonName: '00B6087510',
          title: 'Infirmier',
          organization: null,
          organizationalUnits: [],
        },
        identifier: { type: 'adeli', value: '0B6087510' },
        cpx: {
          testCard: true,
          cardType: 'CPS',
          cardTypeCode: 0,
          cardIssuerAndNumber: '8025000001/2800636234',
          cardNumber: '2800636234',
          professionCode: '60',
        },
        upns: [],
        isLegacy: false,
      },
    },
    {
      file: 'test-end-entity/test-gipcps-classe1-auth.der',
      expected: { role: 'authentication', kind: 'legacy', isLegacy: true, upns: ['0.0B1058110@carte-cps.fr'] },
    },
    {
      file: 'igc-sante-prod/AC_FORT_PERSONNES_20130625.cer',
      expected: { role: 'unknown', kind: 'other', isCa: true, isIgcSante: true },
    },
  ])('classifies $file', ({ file, expected }) => {
    expect(inspectCertificate(load(file))).toMatchObject(expected);
  });

  it('reports the validity window with days left', () => {
    const info = inspectCertificate(load('test-end-entity/2600301752-Auth.crt'));
    expect(validityAt(info, new Date('2020-03-13T15:16:43Z'))).toEqual({ status: 'valid', daysLeft: 10 });
    expect(validityAt(info, new Date('2021-01-01T00:00:00Z')).status).toBe('expired');
    expect(validityAt(info, new Date('2016-01-01T00:00:00Z')).status).toBe('not-yet-valid');
  });

  it('raises certificate.unreadable on garbage', () => {
    expect(() => inspectCertificate(Uint8Array.from([0x30, 0x03, 0x02, 0x01, 0x01]))).toThrow(
      expect.objectContaining({ code: 'certificate.unreadable' }),
    );
  });
});

describe('inspectCertificate on a generated CPx-like certificate', () => {
  let pki: GeneratedPki;
  beforeAll(async () => {
    pki = await generatePki();
  });

  it('reads multi-valued RDN names with accents, RPPS identifier and private extensions', () => {
    expect(inspectCertificate(der(pki.auth))).toMatchObject({
      role: 'authentication',
      kind: 'cpx-auth',
      serialHex: pki.authSerial,
      holder: { surname: 'DUPONT-ÉLOÏSE', givenName: 'Hélène', commonName: '810001234567', title: 'Médecin' },
      identifier: { type: 'rpps', value: '10001234567' },
      cpx: { testCard: true, cardType: 'CPS', cardNumber: '2800123456', professionCode: '10' },
      extendedKeyUsages: ['1.3.6.1.5.5.7.3.2', '1.3.6.1.4.1.311.20.2.2'],
    });
    expect(inspectCertificate(der(pki.signature)).kind).toBe('cpx-signature');
  });
});

describe('parseIdentifier', () => {
  it.each([
    ['rpps', '810001234567', { type: 'rpps', value: '10001234567' }],
    ['adeli', '00B6087510', { type: 'adeli', value: '0B6087510' }],
    [
      'finess',
      '30B0057881/CPET0002',
      { type: 'finess', value: '0B0057881/CPET0002', structureId: '0B0057881', staffNumber: 'CPET0002' },
    ],
    ['finess', '3750100018', { type: 'finess', value: '750100018' }],
    ['finess', '3TOOLONG1234/X', { type: 'finess', value: 'TOOLONG1234/X' }],
    // Not a CPx identifier: nothing to strip, the whole CN is kept.
    ['unknown', 'Dupont', { type: 'unknown', value: 'Dupont' }],
  ] as const)('%s CN %s gives %j', (type, cn, expected) => {
    expect(parseIdentifier(type, cn)).toEqual(expected);
  });
});

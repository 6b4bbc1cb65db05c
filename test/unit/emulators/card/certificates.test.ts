/**
 * The generated TEST PKI and card certificates, checked with the project's own certificate inspector and mapping.
 */
import 'reflect-metadata';
import { beforeAll, describe, expect, it } from 'vitest';
import { X509Crl } from '@peculiar/x509';
import type { CardCertificates, TestPki } from '../../../../emulators/card';
import { createCrl, getSharedTestPki, issueCardCertificates } from '../../../../emulators/card';
import { inspectCertificate } from '../../../../shared/certificates';
import { formatEntraDn } from '../../../../shared/mapping';

describe('test PKI and CPx certificates', () => {
  let pki: TestPki;
  let card: CardCertificates;
  beforeAll(async () => {
    pki = await getSharedTestPki();
    card = await issueCardCertificates(pki);
  });

  it('names the CA like IGC-Santé TEST', () => {
    expect(formatEntraDn(inspectCertificate(new Uint8Array(pki.ca.rawData)).subject)).toBe(
      'C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE TEST,CN=TEST AC IGC-SANTE FORT PERSONNES',
    );
  });

  it('shapes the authentication certificate like a CPS card', () => {
    const info = inspectCertificate(card.authentication.der);
    expect(info).toMatchObject({
      kind: 'cpx-auth',
      upns: ['8.10101234567@carte-cps.fr'],
      identifier: { type: 'rpps', value: '10101234567' },
      holder: { givenName: 'Hélène', surname: 'LÉGER-DUPRÉ', commonName: '810101234567', title: 'Médecin' },
      cpx: { testCard: true, cardType: 'CPS', cardNumber: '2801234567', professionCode: '10' },
      isIgcSante: true,
    });
    expect(info.serialHex).toHaveLength(32);
    expect(info.skiHex).toMatch(/^[0-9a-f]{40}$/);
    const years = (info.notAfter.getTime() - info.notBefore.getTime()) / (365 * 86_400_000);
    expect(Math.round(years)).toBe(3);
    // Last RDN is multi-valued (SN + GN + CN).
    expect(info.subject.at(-1)?.length).toBe(3);
  });

  it('marks the signature certificate as non-repudiation without SAN', () => {
    const info = inspectCertificate(card.signature.der);
    expect(info.kind).toBe('cpx-signature');
    expect(info.upns).toEqual([]);
    expect(info.keyUsage?.nonRepudiation).toBe(true);
  });

  it('issues a CRL of the CA that revokes the given serial', async () => {
    const crl = new X509Crl(new Uint8Array(await createCrl(pki, [card.authentication.serialHex])));
    expect(await crl.verify({ publicKey: pki.caKeys.publicKey })).toBe(true);
    expect(crl.findRevoked(card.authentication.serialHex)).not.toBeNull();
    expect(crl.findRevoked(card.signature.serialHex)).toBeNull();
  });
});

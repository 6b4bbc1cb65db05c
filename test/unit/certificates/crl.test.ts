import { beforeAll, describe, expect, it } from 'vitest';
import { createCrl, createTestPki } from '../../../emulators/card';
import type { TestPki } from '../../../emulators/card';
import { findCrlSigner, isCrlStale, parseCrlFile } from '../../../shared/certificates';
import { x509 } from '../../../shared/certificates/x509';

const DAY = 86_400_000;

describe('shared/certificates/crl', () => {
  let pki: TestPki;
  let other: TestPki;
  let crlDer: Uint8Array;
  beforeAll(async () => {
    [pki, other] = await Promise.all([createTestPki(), createTestPki()]);
    crlDer = await createCrl(pki, ['0102', '0304'], new Date('2026-01-10T00:00:00Z'));
  });

  it('reads a DER CRL and the same CRL in PEM alike', () => {
    const pem = new TextEncoder().encode(new x509.X509Crl(new Uint8Array(crlDer)).toString('pem'));
    for (const bytes of [crlDer, pem]) {
      const crl = parseCrlFile(bytes);
      expect(crl.issuer).toMatch(/^C=FR,.*CN=TEST AC IGC-SANTE FORT PERSONNES$/);
      expect(crl).toMatchObject({
        issuerName: 'TEST AC IGC-SANTE FORT PERSONNES',
        thisUpdate: new Date('2026-01-10T00:00:00Z'),
        nextUpdate: new Date('2026-01-17T00:00:00Z'),
        revokedCount: 2,
      });
    }
  });

  it.each([
    ['empty', new Uint8Array(0), 'trust.file-empty'],
    ['text', new TextEncoder().encode('not a crl at all'), 'trust.crl-unreadable'],
    [
      'bad PEM body',
      new TextEncoder().encode('-----BEGIN X509 CRL-----\n%%%\n-----END X509 CRL-----'),
      'trust.crl-unreadable',
    ],
    ['truncated DER', new Uint8Array([0x30, 0x82, 0x10, 0x00, 0x30]), 'trust.crl-unreadable'],
    ['too large', new Uint8Array(32 * 1024 * 1024 + 1), 'trust.file-too-large'],
  ])('refuses %s with %s', (_label, bytes, code) => {
    expect(() => parseCrlFile(bytes)).toThrow(expect.objectContaining({ code }));
  });

  it.each([
    ['before nextUpdate', '2026-01-16T23:59:59Z', false],
    ['after nextUpdate', '2026-01-17T00:00:01Z', true],
  ])('tells a stale CRL: %s', (_label, at, stale) => {
    expect(isCrlStale(parseCrlFile(crlDer), new Date(at))).toBe(stale);
    expect(isCrlStale({ nextUpdate: null }, new Date(Date.now() + 1000 * DAY))).toBe(false);
  });

  it('finds the CA that signed the CRL, and tells an untrusted issuer from a bad signature', async () => {
    const crl = parseCrlFile(crlDer);
    const ca = new Uint8Array(pki.ca.rawData);
    expect(await findCrlSigner(crl, [new Uint8Array(pki.root.rawData), ca])).toEqual({ status: 'verified', caDer: ca });
    expect(await findCrlSigner(crl, [new Uint8Array(pki.root.rawData)])).toEqual({ status: 'issuer-untrusted' });
    expect(await findCrlSigner(crl, [new Uint8Array(other.ca.rawData)])).toEqual({ status: 'signature-invalid' });
  });
});

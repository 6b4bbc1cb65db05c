import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { checkRevocation, verifyChain } from '../../../shared/certificates';
import { der, generatePki, type GeneratedPki } from '../../fixtures/certs/generate';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const load = (name: string): Uint8Array => new Uint8Array(readFileSync(CERTS + name));

describe('verifyChain', () => {
  let pki: GeneratedPki;
  beforeAll(async () => {
    pki = await generatePki();
  });
  const now = new Date();

  it('validates leaf → intermediate → root', async () => {
    const result = await verifyChain(
      der(pki.auth),
      { roots: [der(pki.root)], intermediates: [der(pki.intermediate)] },
      now,
    );
    expect(result.status).toBe('valid');
    expect(result.path).toHaveLength(3);
  });

  it('is unknown without a trust set and untrusted without the intermediate', async () => {
    expect((await verifyChain(der(pki.auth), null, now)).status).toBe('unknown');
    expect((await verifyChain(der(pki.auth), { roots: [der(pki.root)], intermediates: [] }, now)).status).toBe(
      'untrusted',
    );
  });

  it('reports ca-expired when only an expired intermediate is available', async () => {
    const result = await verifyChain(
      der(pki.auth),
      { roots: [der(pki.root)], intermediates: [der(pki.expiredIntermediate)] },
      now,
    );
    expect(result.status).toBe('ca-expired');
  });

  it('reports untrusted for foreign anchors and invalid-signature when a same-named CA did not sign', async () => {
    // The real IGC-Santé FORT root has a different key than the generated intermediate's issuer.
    const realRoot = load('igc-sante-prod/ACR_FORT_20130625.cer');
    const realIntermediate = load('igc-sante-prod/AC_FORT_PERSONNES_20130625.cer');
    const result = await verifyChain(der(pki.auth), { roots: [realRoot], intermediates: [realIntermediate] }, now);
    expect(result.status).toBe('untrusted');
    const forged = await verifyChain(
      der(pki.auth),
      { roots: [der(pki.root)], intermediates: [der(pki.forgedIntermediate)] },
      now,
    );
    expect(forged.status).toBe('invalid-signature');
  });

  it('validates the real IGC-Santé FORT PERSONNES intermediate against its root', async () => {
    const result = await verifyChain(
      load('igc-sante-prod/AC_FORT_PERSONNES_20130625.cer'),
      { roots: [load('igc-sante-prod/ACR_FORT_20130625.cer')], intermediates: [] },
      new Date('2026-01-01T00:00:00Z'),
    );
    expect(result.status).toBe('valid');
  });
});

describe('checkRevocation', () => {
  let pki: GeneratedPki;
  beforeAll(async () => {
    pki = await generatePki();
  });
  const now = new Date();

  it.each([
    ['revoked', 'signature', 'crl', 'revoked'],
    ['good', 'auth', 'crl', 'good'],
    ['crl-expired', 'auth', 'staleCrl', 'crl-expired'],
  ] as const)('returns %s', async (_name, certKey, crlKey, status) => {
    const result = await checkRevocation(der(pki[certKey]), [der(pki[crlKey])], now, der(pki.intermediate));
    expect(result.status).toBe(status);
  });

  it('returns unknown-no-crl without a CRL from the issuer, or when the CRL signature does not verify', async () => {
    expect((await checkRevocation(der(pki.auth), [], now)).status).toBe('unknown-no-crl');
    expect((await checkRevocation(der(pki.auth), [Uint8Array.from([1, 2, 3])], now)).status).toBe('unknown-no-crl');
    const wrongIssuer = await checkRevocation(der(pki.signature), [der(pki.crl)], now, der(pki.root));
    expect(wrongIssuer.status).toBe('unknown-no-crl');
  });

  it('reads a renewed CRL afresh (parsed CRLs are kept by content, never by issuer)', async () => {
    const check = (crlKey: 'crl' | 'renewedCrl') =>
      checkRevocation(der(pki.auth), [der(pki[crlKey])], now, der(pki.intermediate));
    expect((await check('crl')).status).toBe('good');
    expect((await check('renewedCrl')).status).toBe('revoked');
    expect((await check('crl')).status).toBe('good');
  });
});

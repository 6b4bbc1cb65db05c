import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { createTestPki } from '../../../emulators/card';
import type { TestPki } from '../../../emulators/card';
import { describeCa, findKnownCaBySubject, parseKnownCas, splitCertificateFile } from '../../../shared/certificates';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const known = parseKnownCas(
  JSON.parse(readFileSync(fileURLToPath(new URL('../../../resources/known-cas.json', import.meta.url)), 'utf8')),
);
const first = (path: string) => splitCertificateFile(new Uint8Array(readFileSync(CERTS + path)))[0]!;

describe('shared/certificates/trust-anchors', () => {
  let pki: TestPki;
  beforeAll(async () => {
    pki = await createTestPki();
  });

  it.each([
    ['igc-sante-prod/ACR_FORT_20130625.cer', 'AC RACINE IGC-SANTE FORT', true],
    ['igc-sante-prod/AC_FORT_PERSONNES_20130625.cer', 'AC IGC-SANTE FORT PERSONNES', false],
    ['igc-sante-prod/AC_STANDARD_PERSONNES_20130625.cer', 'AC IGC-SANTE STANDARD PERSONNES', false],
    ['igc-sante-test/TEST_AC_RACINE_IGC-SANTE_ELEMENTAIRE.pem', 'TEST AC RACINE IGC-SANTE ELEMENTAIRE', true],
  ])('recognises %s by its SHA-256 as %s', async (path, name, isSelfSigned) => {
    const ca = await describeCa(first(path), known);
    expect(ca.known?.name).toBe(name);
    expect(ca.name).toBe(name);
    expect(ca.isSelfSigned).toBe(isSelfSigned);
    expect(ca.sha256).toMatch(/^[0-9A-F]{64}$/);
  });

  it('does not recognise a CA that only borrows an IGC-Santé name', async () => {
    const ca = await describeCa(new Uint8Array(pki.ca.rawData), known);
    expect(ca.name).toBe('TEST AC IGC-SANTE FORT PERSONNES');
    expect(ca.known).toBeNull();
  });

  it.each([['test-end-entity/2600301752-Auth.crt'], ['test-end-entity/test-cps-fort-personnes-signature.der']])(
    'refuses the end-entity certificate %s as a CA',
    async (path) => {
      await expect(describeCa(first(path), known)).rejects.toMatchObject({ code: 'trust.not-a-ca' });
    },
  );

  it.each([
    ['C=FR,O=ASIP-SANTE,OU=0002 187512751,OU=IGC-SANTE,CN=AC RACINE IGC-SANTE FORT', 'AC RACINE IGC-SANTE FORT'],
    ['C=FR,O=ASIP-SANTE,CN=AC RACINE IGC-SANTE FORT', undefined],
  ])('finds a known CA by its exact subject: %s', (dn, name) => {
    expect(findKnownCaBySubject(known, dn)?.name).toBe(name);
  });
});

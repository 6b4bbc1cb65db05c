import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import {
  findKnownCaByFingerprint,
  flagCrlUrl,
  parseKnownCas,
  splitCertificateFile,
} from '../../../shared/certificates';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const CAS = fileURLToPath(new URL('../../../resources/known-cas.json', import.meta.url));

describe('resources/known-cas.json', () => {
  const cas = parseKnownCas(JSON.parse(readFileSync(CAS, 'utf8')));

  it.each([
    ...readdirSync(`${CERTS}igc-sante-prod`).map((f) => `igc-sante-prod/${f}`),
    ...readdirSync(`${CERTS}igc-sante-test`).map((f) => `igc-sante-test/${f}`),
  ])('knows the SHA-256 fingerprint of %s', (file) => {
    const [certDer] = splitCertificateFile(new Uint8Array(readFileSync(CERTS + file)));
    const sha256 = createHash('sha256').update(certDer!).digest('hex');
    const ca = findKnownCaByFingerprint(cas, sha256);
    expect(ca).toBeDefined();
    expect(ca?.environment).toBe(file.startsWith('igc-sante-test') ? 'test' : 'prod');
  });

  it('lists the card-issuing CAs with their CRLs, and flags ACI-EL-PP.crl', () => {
    const issuing = cas.cas.filter((c) => c.issuesCards).map((c) => [c.name, c.crlUrl.split('/').at(-1)]);
    expect(issuing).toEqual([
      ['AC IGC-SANTE FORT PERSONNES', 'ACI-FO-PP.crl'],
      ['AC IGC-SANTE STANDARD PERSONNES', 'ACI-ST-PP.crl'],
      ['TEST AC IGC-SANTE FORT PERSONNES', 'ACI-FO-PP-TEST.crl'],
      ['TEST AC IGC-SANTE STANDARD PERSONNES', 'ACI-ST-PP-TEST.crl'],
    ]);
    expect(flagCrlUrl(cas, ' HTTP://igc-sante.esante.gouv.fr/CRL/ACI-EL-PP.crl')?.reason).toBe(
      'software-certificate-ca',
    );
    expect(flagCrlUrl(cas, 'http://igc-sante.esante.gouv.fr/CRL/ACI-FO-PP.crl')).toBeUndefined();
  });

  it('rejects a malformed file', () => {
    expect(() => parseKnownCas({ version: 1, cas: [{ name: 'x', sha256: 'zz' }] })).toThrow();
  });
});

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

  it('has the root of every card-issuing CA, TEST ones included, with its CRL (an inferred address is marked so)', () => {
    const code = { fort: 'FO', standard: 'ST', elementaire: 'EL' } as const;
    for (const issuing of cas.cas.filter((c) => c.issuesCards)) {
      const prefix = issuing.environment === 'test' ? 'TEST ' : '';
      const root = cas.cas.find(
        (c) => c.role === 'root' && c.name === `${prefix}AC RACINE IGC-SANTE ${issuing.level.toUpperCase()}`,
      );
      expect(root, issuing.name).toBeDefined();
      expect(root?.environment).toBe(issuing.environment);
      const suffix = issuing.environment === 'test' ? '-TEST' : '';
      expect(root?.crlUrl).toBe(`http://igc-sante.esante.gouv.fr/CRL/ACR-${code[root!.level]}${suffix}.crl`);
    }
    // Not published to us: no fingerprint (matched by subject only), and an address we could not check.
    for (const name of ['TEST AC RACINE IGC-SANTE FORT', 'TEST AC RACINE IGC-SANTE STANDARD']) {
      expect(cas.cas.find((c) => c.name === name)).toMatchObject({
        sha256: null,
        sha1: null,
        crlUrlSource: 'inferred',
      });
    }
  });

  it('rejects a malformed file', () => {
    expect(() => parseKnownCas({ version: 1, cas: [{ name: 'x', sha256: 'zz' }] })).toThrow();
  });
});

import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { certificateChecks, inspectCertificate, splitCertificateFile } from '../../../shared/certificates';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));
const info = (path: string) => inspectCertificate(splitCertificateFile(new Uint8Array(readFileSync(CERTS + path)))[0]!);

describe('shared/certificates/checks', () => {
  it.each([
    ['test-end-entity/2600301752-Auth.crt', true, true, '30B0057881/CPET0002@carte-cps.fr'],
    ['test-end-entity/test-cps-fort-personnes-signature.der', false, false, '—'],
    ['test-end-entity/test-gipcps-classe1-auth.der', true, true, '0.0B1058110@carte-cps.fr'],
  ])('checks %s: clientAuth %s, UPN %s', (path, clientAuth, upn, upnValue) => {
    const checks = certificateChecks(info(path));
    expect(checks.map((c) => [c.id, c.passed])).toEqual([
      ['client-auth-eku', clientAuth],
      ['upn-present', upn],
    ]);
    expect(checks[1]!.values.upn).toBe(upnValue);
  });

  it.each([
    [['1.3.6.1.4.1.311.20.2.2'], true, [], false, false, undefined],
    [['1.3.6.1.5.5.7.3.4'], true, ['a@b'], false, true, undefined],
    [['1.3.6.1.5.5.7.3.2'], true, ['a@b'], true, true, undefined],
    // No EKU extension at all: unrestricted (RFC 5280 §4.2.1.12), so client authentication is allowed.
    [[], false, ['a@b'], true, true, 'unrestricted'],
    [[], undefined, [], true, false, 'unrestricted'],
  ])(
    'EKUs %j (extension present: %s) and UPNs %j give clientAuth %s and UPN %s (variant %s)',
    (ekus, hasExtendedKeyUsage, upns, clientAuth, upn, variant) => {
      const checks = certificateChecks({
        extendedKeyUsages: ekus,
        upns,
        ...(hasExtendedKeyUsage === undefined ? {} : { hasExtendedKeyUsage }),
      });
      expect(checks.map((c) => c.passed)).toEqual([clientAuth, upn]);
      expect(checks[0]!.variant).toBe(variant);
      expect(checks[0]!.values.ekus).toBe(ekus.length === 0 ? '—' : ekus.join(', '));
    },
  );
});

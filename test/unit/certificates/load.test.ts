import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { splitCertificateFile } from '../../../shared/certificates';
import { x509 } from '../../../shared/certificates/x509';
import { der, generatePki, type GeneratedPki } from '../../fixtures/certs/generate';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/', import.meta.url));

const pem = (d: Uint8Array, label = 'CERTIFICATE'): string =>
  `-----BEGIN ${label}-----\n${Buffer.from(d)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n')}\n-----END ${label}-----\n`;

describe('splitCertificateFile', () => {
  let pki: GeneratedPki;
  beforeAll(async () => {
    pki = await generatePki();
  });

  it('reads DER, single PEM, multi-PEM with text around, and PKCS#7 (DER and PEM)', () => {
    const a = der(pki.auth);
    const b = der(pki.intermediate);
    const p7b = new Uint8Array(new x509.X509Certificates([pki.auth, pki.intermediate]).export('raw'));
    const cases: [Uint8Array, number][] = [
      [a, 1],
      [new TextEncoder().encode(pem(a)), 1],
      [new TextEncoder().encode(`Bag Attributes\n${pem(a)}junk\r\n${pem(b)}`), 2],
      [p7b, 2],
      [new TextEncoder().encode(pem(p7b, 'PKCS7')), 2],
      [new Uint8Array(readFileSync(`${CERTS}igc-sante-test/TEST_AC_RACINE_IGC-SANTE_ELEMENTAIRE.pem`)), 1],
    ];
    for (const [bytes, count] of cases) {
      expect(splitCertificateFile(bytes)).toHaveLength(count);
    }
    expect(Buffer.from(splitCertificateFile(p7b)[0]!).equals(Buffer.from(a))).toBe(true);
  });

  it.each([
    ['empty', new Uint8Array(0)],
    ['random bytes', Uint8Array.from([0x30, 0x82, 0x01, 0x00, 0x05])],
    ['text', new TextEncoder().encode('hello, not a certificate')],
    ['bad PEM body', new TextEncoder().encode('-----BEGIN CERTIFICATE-----\n@@@@\n-----END CERTIFICATE-----')],
  ])('raises certificate.unreadable on %s', (_name, bytes) => {
    expect(() => splitCertificateFile(bytes)).toThrow(expect.objectContaining({ code: 'certificate.unreadable' }));
  });
});

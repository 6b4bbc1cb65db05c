/**
 * Loopback TLS certificate for the emulators.
 *
 * Each emulator start generates a fresh self-signed certificate (P-256, SAN `127.0.0.1` and `localhost`) with
 * `@peculiar/x509`. Clients trust it precisely: Node through the `ca` option, Chromium through
 * `--ignore-certificate-errors-spki-list=<spkiSha256Base64>`. Nothing ever disables verification.
 */
import 'reflect-metadata';
import { createHash, webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

/** A generated loopback certificate with its private key and the pins clients need. */
export type LoopbackCertificate = {
  readonly certPem: string;
  readonly keyPem: string;
  /** The certificate to pass as `ca` (self-signed, so it is its own trust anchor). */
  readonly caCertPem: string;
  /** Base64 SHA-256 of the SubjectPublicKeyInfo, for Chromium's SPKI allow-list. */
  readonly spkiSha256Base64: string;
};

const algorithm = { name: 'ECDSA', namedCurve: 'P-256', hash: 'SHA-256' } as const;

/** Generates a self-signed loopback certificate valid for one day. */
export async function generateLoopbackCertificate(commonName = 'psc-emulator.local'): Promise<LoopbackCertificate> {
  const crypto = webcrypto as unknown as Crypto;
  const keys = await crypto.subtle.generateKey(algorithm, true, ['sign', 'verify']);
  const now = Date.now();
  const cert = await x509.X509CertificateGenerator.createSelfSigned(
    {
      serialNumber: createHash('sha256').update(`${commonName}${now}`).digest('hex').slice(0, 16),
      name: `CN=${commonName}`,
      notBefore: new Date(now - 60_000),
      notAfter: new Date(now + 24 * 3600_000),
      keys,
      signingAlgorithm: algorithm,
      extensions: [
        new x509.BasicConstraintsExtension(false, undefined, true),
        new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
        new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.serverAuth]),
        new x509.SubjectAlternativeNameExtension([
          { type: 'ip', value: '127.0.0.1' },
          { type: 'dns', value: 'localhost' },
        ]),
      ],
    },
    crypto,
  );
  const pkcs8 = await crypto.subtle.exportKey('pkcs8', keys.privateKey);
  const keyPem = x509.PemConverter.encode(pkcs8, 'PRIVATE KEY');
  const spki = createHash('sha256').update(Buffer.from(cert.publicKey.rawData)).digest('base64');
  const certPem = cert.toString('pem');
  return { certPem, keyPem, caCertPem: certPem, spkiSha256Base64: spki };
}

/**
 * Seeded fuzzing of certificate loading, inspection and mapping: malformed DER ends in `certificate.unreadable`
 * or in a result, never in an untyped error.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { inspectCertificate, splitCertificateFile } from '../../../shared/certificates';
import { computeCertificateUserIds } from '../../../shared/mapping';
import { prng } from '../cards/prng';

const CERTS = fileURLToPath(new URL('../../../../shared/certs/cpx/test-end-entity/', import.meta.url));
const SAMPLES = ['2600301752-Auth.crt', 'test-cps-fort-personnes-signature.der', 'test-gipcps-classe1-auth.der'].map(
  (f) => new Uint8Array(readFileSync(CERTS + f)),
);

function mutate(rand: () => number, src: Uint8Array): Uint8Array {
  const r = rand();
  if (r < 0.2) {
    return src.slice(0, Math.floor(rand() * src.length));
  }
  if (r < 0.25) {
    return Uint8Array.from([
      ...src,
      ...Array.from({ length: Math.floor(rand() * 64) }, () => Math.floor(rand() * 256)),
    ]);
  }
  const copy = src.slice();
  for (let k = 0; k < 1 + Math.floor(rand() * 8); k += 1) {
    copy[Math.floor(rand() * copy.length)] = Math.floor(rand() * 256);
  }
  return copy;
}

describe('certificate fuzz', () => {
  it('inspects and maps 3000 mutated certificates with only typed errors', () => {
    const rand = prng(0x5eed);
    let parsed = 0;
    for (let i = 0; i < 3000; i += 1) {
      const bytes = mutate(rand, SAMPLES[i % SAMPLES.length]!);
      try {
        const info = inspectCertificate(bytes);
        const values = computeCertificateUserIds({ ...info, sha1Thumbprint: '00' });
        expect(values.SHA1PublicKey).toBe('X509:<SHA1-PUKEY>00');
        parsed += 1;
      } catch (error) {
        if (!(error instanceof AppError)) {
          process.stderr.write(`${(error as Error).stack ?? String(error)}\n`);
        }
        expect(error).toBeInstanceOf(AppError);
        expect((error as AppError).code).toBe('certificate.unreadable');
      }
    }
    // Mutations in signatures and key bits keep certificates parseable: both paths are exercised.
    expect(parsed).toBeGreaterThan(100);
    expect(parsed).toBeLessThan(3000);
  }, 30_000);

  it('splits 1000 mutated PEM and DER files with only typed errors', () => {
    const rand = prng(0xfeed);
    for (let i = 0; i < 1000; i += 1) {
      const der = mutate(rand, SAMPLES[i % SAMPLES.length]!);
      const bytes =
        i % 2 === 0
          ? der
          : new TextEncoder().encode(
              `-----BEGIN CERTIFICATE-----\n${Buffer.from(der).toString('base64')}\n-----END CERTIFICATE-----\n`,
            );
      try {
        expect(splitCertificateFile(bytes).length).toBeGreaterThan(0);
      } catch (error) {
        expect(error).toBeInstanceOf(AppError);
      }
    }
  }, 30_000);
});

/**
 * Fast TEST card certificates for chaos runs and benchmarks: one CA key and one subject key sign every certificate,
 * and each card gets its own SubjectKeyIdentifier, serial, UPN and card number, so a thousand distinct cards cost a
 * thousand signatures instead of a thousand RSA key generations. The values Entra matches (SKI, PN, serial) differ
 * per card exactly as on real renewals.
 */
import 'reflect-metadata';
import { webcrypto } from 'node:crypto';
import * as x509 from '@peculiar/x509';

const RSA = {
  name: 'RSASSA-PKCS1-v1_5',
  hash: 'SHA-256',
  publicExponent: new Uint8Array([1, 0, 1]),
  modulusLength: 2048,
};
const CA_NAME = 'C=FR, O=ASIP-SANTE, OU=0002 187512751, OU=IGC-SANTE TEST, CN=TEST AC IGC-SANTE FORT PERSONNES';

/** A card to issue. */
export type FastCard = { index: number; givenName: string; surname: string; nationalId: string; cardNumber: string };

/** A card factory bound to one CA and one subject key. */
export type CardFactory = { issue(card: FastCard): Promise<Uint8Array> };

function hex(n: number, width: number): string {
  return n.toString(16).padStart(width, '0');
}

/** Create the factory (two RSA key generations, once). */
export async function createCardFactory(): Promise<CardFactory> {
  x509.cryptoProvider.set(webcrypto as unknown as Crypto);
  const [caKeys, eeKeys] = await Promise.all([
    webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']),
    webcrypto.subtle.generateKey(RSA, true, ['sign', 'verify']),
  ]);
  const now = Date.now();
  return {
    async issue(card) {
      const certificate = await x509.X509CertificateGenerator.create({
        serialNumber: `10${hex(card.index, 14)}${hex(Math.floor(now / 1000) % 0xffff, 4)}aa55aa55aa55`,
        subject: [
          { C: ['FR'] },
          { '2.5.4.12': ['Médecin'] },
          { '2.5.4.4': [card.surname], '2.5.4.42': [card.givenName], '2.5.4.3': [`8${card.nationalId}`] },
        ],
        issuer: CA_NAME,
        notBefore: new Date(now - 86_400_000),
        notAfter: new Date(now + 3 * 365 * 86_400_000),
        publicKey: eeKeys.publicKey,
        signingKey: caKeys.privateKey,
        signingAlgorithm: RSA,
        extensions: [
          new x509.KeyUsagesExtension(x509.KeyUsageFlags.digitalSignature, true),
          new x509.ExtendedKeyUsageExtension([x509.ExtendedKeyUsage.clientAuth, '1.3.6.1.4.1.311.20.2.2']),
          new x509.SubjectAlternativeNameExtension([{ type: 'upn', value: `8.${card.nationalId}@carte-cps.fr` }]),
          // One SKI per card: what changes on renewal and what tenant-wide uniqueness is checked on.
          new x509.SubjectKeyIdentifierExtension(`${hex(card.index, 8)}5a5a5a5a${hex(card.index * 7919, 8)}0c0ffee0`),
          new x509.Extension(
            '1.2.250.1.71.1.2.3',
            false,
            new Uint8Array([0x13, 21, ...Buffer.from(`8025000001/${card.cardNumber}`, 'ascii')]),
          ),
        ],
      });
      return new Uint8Array(certificate.rawData);
    },
  };
}

/**
 * Turn certificate file bytes into DER certificates: DER, PEM (one or several), PKCS#7 `.p7b` (DER or PEM).
 */
import { AppError } from '../errors';
import { x509 } from './x509';

/** Largest certificate file accepted (a p7b with a whole PKI stays far below). */
export const MAX_CERTIFICATE_FILE_BYTES = 1024 * 1024;

/** Copy into a plain ArrayBuffer-backed view (the library's types reject SharedArrayBuffer-backed views). */
export function plainBytes(bytes: Uint8Array): Uint8Array<ArrayBuffer> {
  return new Uint8Array(bytes);
}

const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----([\s\S]*?)-----END \1-----/g;

function base64ToBytes(text: string): Uint8Array {
  const clean = text.replace(/[\r\n\t ]/g, '');
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(clean)) {
    throw new AppError('certificate.unreadable', { details: { reason: 'invalid-base64' } });
  }
  const bin = atob(clean);
  const out = new Uint8Array(bin.length);
  for (let i = 0; i < bin.length; i += 1) {
    out[i] = bin.charCodeAt(i);
  }
  return out;
}

function looksLikeText(bytes: Uint8Array): boolean {
  const head = bytes.subarray(0, Math.min(bytes.length, 512));
  return head.every((b) => b === 0x09 || b === 0x0a || b === 0x0d || (b >= 0x20 && b < 0x7f) || b >= 0x80);
}

function pkcs7Certificates(der: Uint8Array): Uint8Array[] {
  const certs = new x509.X509Certificates(plainBytes(der));
  return certs.map((c) => new Uint8Array(c.rawData));
}

function derCertificates(der: Uint8Array): Uint8Array[] {
  // A bare certificate parses as X509Certificate; otherwise try PKCS#7 SignedData.
  try {
    new x509.X509Certificate(plainBytes(der));
    return [der];
  } catch {
    return pkcs7Certificates(der);
  }
}

/**
 * Split file bytes into DER certificates.
 *
 * Throws `certificate.unreadable` when nothing in the file is a certificate.
 */
export function splitCertificateFile(bytes: Uint8Array): Uint8Array[] {
  if (bytes.length === 0 || bytes.length > MAX_CERTIFICATE_FILE_BYTES) {
    throw new AppError('certificate.unreadable', { details: { reason: bytes.length === 0 ? 'empty' : 'too-large' } });
  }
  try {
    if (looksLikeText(bytes)) {
      const text = new TextDecoder('utf-8').decode(bytes);
      const out: Uint8Array[] = [];
      for (const match of text.matchAll(PEM_BLOCK)) {
        const label = match[1] ?? '';
        const body = base64ToBytes(match[2] ?? '');
        if (label === 'CERTIFICATE' || label === 'X509 CERTIFICATE' || label === 'TRUSTED CERTIFICATE') {
          out.push(body);
        } else if (label === 'PKCS7' || label === 'CMS') {
          out.push(...pkcs7Certificates(body));
        }
      }
      if (out.length === 0) {
        // Some tools write bare base64 without PEM armour.
        return derCertificates(base64ToBytes(text));
      }
      return out;
    }
    return derCertificates(bytes);
  } catch (error) {
    if (error instanceof AppError) {
      throw error;
    }
    throw new AppError('certificate.unreadable', { details: { reason: 'not-a-certificate' }, cause: error });
  }
}

/** Parse one DER certificate; `certificate.unreadable` when it is not one. */
export function parseCertificate(der: Uint8Array): InstanceType<typeof x509.X509Certificate> {
  try {
    return new x509.X509Certificate(plainBytes(der));
  } catch (error) {
    throw new AppError('certificate.unreadable', { details: { reason: 'not-a-certificate' }, cause: error });
  }
}

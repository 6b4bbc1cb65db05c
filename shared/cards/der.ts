/**
 * Minimal DER checks for certificates read from the card: total length from the header, and structure.
 */
import * as asn1js from 'asn1js';
import { safeFromBER } from './asn1';

/** Largest certificate file the reader accepts (domain.md §3: bounded reads). */
export const MAX_CERTIFICATE_BYTES = 8192;

/**
 * Total length (header + content) of the DER SEQUENCE starting the buffer.
 *
 * Returns 'incomplete' when more bytes are needed, 'invalid' when the header is not a definite-length SEQUENCE.
 */
export function derTotalLength(buf: Uint8Array): number | 'incomplete' | 'invalid' {
  if (buf.length < 2) {
    return 'incomplete';
  }
  if (buf[0] !== 0x30) {
    return 'invalid';
  }
  const first = buf[1] ?? 0;
  if (first < 0x80) {
    return 2 + first;
  }
  const n = first & 0x7f;
  if (n === 0 || n > 3) {
    return 'invalid';
  }
  if (buf.length < 2 + n) {
    return 'incomplete';
  }
  let len = 0;
  for (let i = 0; i < n; i += 1) {
    len = len * 256 + (buf[2 + i] ?? 0);
  }
  return 2 + n + len;
}

/** True when `der` is exactly one SEQUENCE { SEQUENCE tbs, SEQUENCE algorithm, BIT STRING signature }. */
export function looksLikeCertificate(der: Uint8Array): boolean {
  const decoded = safeFromBER(der);
  if (decoded?.offset !== der.length) {
    return false;
  }
  const top = decoded.result;
  if (!(top instanceof asn1js.Sequence)) {
    return false;
  }
  const parts = top.valueBlock.value;
  return (
    parts.length === 3 &&
    parts[0] instanceof asn1js.Sequence &&
    parts[1] instanceof asn1js.Sequence &&
    parts[2] instanceof asn1js.BitString
  );
}

/** DER of OID 1.2.250.1.71.1.2.3 (CPx private extension: `<card issuer>/<card number>`). */
const CARD_NUMBER_OID = [0x06, 0x08, 0x2a, 0x81, 0x7a, 0x01, 0x47, 0x01, 0x02, 0x03];

/**
 * Card number from the certificate's `1.2.250.1.71.1.2.3` extension (`8025000001/2600301752` → `2600301752`).
 *
 * Used when EF.SN.ICC is missing or not worth its APDUs; a bounded byte scan, no full parse.
 */
export function cardNumberFromCertificate(der: Uint8Array): string | null {
  for (let i = 0; i + CARD_NUMBER_OID.length < der.length; i += 1) {
    if (!CARD_NUMBER_OID.every((b, k) => der[i + k] === b)) {
      continue;
    }
    // Skip an optional `critical` BOOLEAN, then OCTET STRING { string }.
    let p = i + CARD_NUMBER_OID.length;
    if (der[p] === 0x01) {
      p += 3;
    }
    if (der[p] !== 0x04) {
      return null;
    }
    const inner = p + 2;
    const tag = der[inner];
    const len = der[inner + 1] ?? 0;
    if ((tag !== 0x13 && tag !== 0x0c && tag !== 0x16) || len > 64) {
      return null;
    }
    const text = String.fromCharCode(...der.subarray(inner + 2, inner + 2 + len));
    const match = /^\d+\/(\d{1,20})$/.exec(text);
    return match?.[1] ?? null;
  }
  return null;
}

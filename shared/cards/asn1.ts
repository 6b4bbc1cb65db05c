/**
 * A non-throwing wrapper around asn1js's BER decoder.
 *
 * asn1js throws (rather than reporting) on some malformed primitives, e.g. a GeneralizedTime with bad digits;
 * card and certificate bytes are untrusted, so every decode goes through here.
 */
import * as asn1js from 'asn1js';

/** Decode one BER element from the start of `bytes`; null when it does not decode. */
export function safeFromBER(bytes: Uint8Array): { offset: number; result: asn1js.AsnType } | null {
  try {
    const decoded = asn1js.fromBER(bytes.slice());
    if (decoded.offset <= 0 || decoded.result.error !== '') {
      return null;
    }
    return decoded;
  } catch {
    return null;
  }
}

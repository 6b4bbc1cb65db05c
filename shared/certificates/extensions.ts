/**
 * Decoding of certificate extension values the library does not model (CPx private extensions).
 */
import * as asn1js from 'asn1js';
import { safeFromBER } from '../cards/asn1';

/** A decoded extension value: integer, text, or raw bytes (for OCTET STRING / other types). */
export type ExtensionValue =
  { kind: 'integer'; value: number } | { kind: 'text'; value: string } | { kind: 'bytes'; value: Uint8Array };

/** CPx private extension OIDs (domain.md §3). */
export const CPX_OID = {
  testCard: '1.2.250.1.71.1.2.5',
  cardType: '1.2.250.1.71.1.2.2',
  cardIssuerAndNumber: '1.2.250.1.71.1.2.3',
  professionCode: '1.2.250.1.71.1.2.7',
} as const;

/** Decode the DER inside an extension's `extnValue`; null when it does not decode. */
export function decodeExtensionValue(der: Uint8Array): ExtensionValue | null {
  const decoded = safeFromBER(der);
  if (decoded?.offset !== der.length) {
    return null;
  }
  const node = decoded.result;
  if (node instanceof asn1js.Integer) {
    return { kind: 'integer', value: node.valueBlock.valueDec };
  }
  if (node instanceof asn1js.OctetString) {
    return { kind: 'bytes', value: new Uint8Array(node.valueBlock.valueHexView) };
  }
  if (node instanceof asn1js.BaseStringBlock) {
    return { kind: 'text', value: node.getValue() };
  }
  return { kind: 'bytes', value: new Uint8Array(node.toBER(false)) };
}

/** DER content bytes of the certificate's serialNumber INTEGER (big-endian, sign byte kept). */
export function rawSerialNumber(certificateDer: Uint8Array): Uint8Array | null {
  const decoded = safeFromBER(certificateDer);
  if (!(decoded?.result instanceof asn1js.Sequence)) {
    return null;
  }
  const tbs = decoded.result.valueBlock.value[0];
  if (!(tbs instanceof asn1js.Sequence)) {
    return null;
  }
  const fields = tbs.valueBlock.value;
  // tbsCertificate starts with an optional [0] EXPLICIT version.
  const serial = fields[0]?.idBlock.tagClass === 3 ? fields[1] : fields[0];
  return serial instanceof asn1js.Integer ? new Uint8Array(serial.valueBlock.valueHexView) : null;
}

/**
 * Distinguished names decoded from DER, in ASN.1 order, with multi-valued RDNs kept as encoded.
 *
 * Decoded with asn1js rather than a library's string form so that order, multi-valued RDNs and string types are
 * exactly those of the certificate (mapping values must be byte-exact).
 */
import * as asn1js from 'asn1js';
import { safeFromBER } from '../cards/asn1';
import { toHex } from '../cards/hex';

/** One attribute of an RDN: OID, decoded text value, and whether the value was a string type. */
export type NameAttribute = { oid: string; value: string; isString: boolean };

/** A distinguished name: RDNs root-most first, each a list of attributes in encoded order. */
export type DistinguishedName = readonly (readonly NameAttribute[])[];

function decodeString(node: asn1js.AsnType): { value: string; isString: boolean } {
  const bytes = (node.valueBlock as { valueHexView?: Uint8Array }).valueHexView ?? new Uint8Array(0);
  const tag = node.idBlock.tagClass === 1 ? node.idBlock.tagNumber : -1;
  switch (tag) {
    case 12: // UTF8String
    case 19: // PrintableString
    case 22: // IA5String
    case 26: // VisibleString
    case 18: // NumericString
      return { value: new TextDecoder('utf-8').decode(bytes), isString: true };
    case 20: // TeletexString: in practice Latin-1
      return { value: String.fromCharCode(...bytes), isString: true };
    case 30: // BMPString: UTF-16BE
      return { value: decodeUtf16Be(bytes), isString: true };
    case 28: // UniversalString: UTF-32BE
      return { value: decodeUtf32Be(bytes), isString: true };
    default:
      return { value: `#${toHex(new Uint8Array(node.toBER(false)))}`, isString: false };
  }
}

function decodeUtf16Be(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 1 < bytes.length; i += 2) {
    out += String.fromCharCode(((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0));
  }
  return out;
}

function decodeUtf32Be(bytes: Uint8Array): string {
  let out = '';
  for (let i = 0; i + 3 < bytes.length; i += 4) {
    const cp =
      (((bytes[i] ?? 0) << 24) | ((bytes[i + 1] ?? 0) << 16) | ((bytes[i + 2] ?? 0) << 8) | (bytes[i + 3] ?? 0)) >>> 0;
    out += cp <= 0x10ffff ? String.fromCodePoint(cp) : '\ufffd';
  }
  return out;
}

/** Decode a DER `Name` (SEQUENCE OF SET OF AttributeTypeAndValue); null when malformed. */
export function decodeName(der: Uint8Array): DistinguishedName | null {
  const decoded = safeFromBER(der);
  if (decoded?.offset !== der.length || !(decoded.result instanceof asn1js.Sequence)) {
    return null;
  }
  const rdns: NameAttribute[][] = [];
  for (const set of decoded.result.valueBlock.value) {
    if (!(set instanceof asn1js.Set)) {
      return null;
    }
    const attributes: NameAttribute[] = [];
    for (const atv of set.valueBlock.value) {
      if (!(atv instanceof asn1js.Sequence)) {
        return null;
      }
      const [type, value] = atv.valueBlock.value;
      if (!(type instanceof asn1js.ObjectIdentifier) || value === undefined) {
        return null;
      }
      attributes.push({ oid: type.getValue(), ...decodeString(value) });
    }
    rdns.push(attributes);
  }
  return rdns;
}

/** All values of an attribute (by OID) across the name, in order. */
export function nameValues(name: DistinguishedName, oid: string): string[] {
  return name.flatMap((rdn) => rdn.filter((a) => a.oid === oid).map((a) => a.value));
}

/** Attribute OIDs used by the certificate logic. */
export const OID = {
  commonName: '2.5.4.3',
  surname: '2.5.4.4',
  serialNumber: '2.5.4.5',
  country: '2.5.4.6',
  locality: '2.5.4.7',
  state: '2.5.4.8',
  street: '2.5.4.9',
  organization: '2.5.4.10',
  organizationalUnit: '2.5.4.11',
  title: '2.5.4.12',
  givenName: '2.5.4.42',
  initials: '2.5.4.43',
  email: '1.2.840.113549.1.9.1',
  domainComponent: '0.9.2342.19200300.100.1.25',
  userId: '0.9.2342.19200300.100.1.1',
} as const;

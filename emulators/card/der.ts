/**
 * Minimal DER/BER-TLV writer for the card's file contents (EF.DIR, ODF, TokenInfo, CDF, PrKDF, FCP).
 *
 * The virtual card builds its PKCS#15 structures byte by byte so that tests exercise a real parser, not a shortcut.
 */

/** Encodes a definite length (short form < 128, long form up to 0xFFFF). */
export function encodeLength(length: number): Uint8Array {
  if (length < 0x80) {
    return Uint8Array.of(length);
  }
  if (length <= 0xff) {
    return Uint8Array.of(0x81, length);
  }
  if (length <= 0xffff) {
    return Uint8Array.of(0x82, length >> 8, length & 0xff);
  }
  throw new RangeError(`TLV too long: ${length}`);
}

/** Concatenates byte arrays. */
export function concatBytes(...parts: readonly Uint8Array[]): Uint8Array {
  const total = parts.reduce((sum, part) => sum + part.length, 0);
  const out = new Uint8Array(total);
  let offset = 0;
  for (const part of parts) {
    out.set(part, offset);
    offset += part.length;
  }
  return out;
}

/** One TLV with a single-byte tag. */
export function tlv(tag: number, ...value: readonly Uint8Array[]): Uint8Array {
  const body = concatBytes(...value);
  return concatBytes(Uint8Array.of(tag), encodeLength(body.length), body);
}

/** SEQUENCE (0x30). */
export const seq = (...items: readonly Uint8Array[]): Uint8Array => tlv(0x30, ...items);

/** OCTET STRING (0x04). */
export const octets = (bytes: Uint8Array): Uint8Array => tlv(0x04, bytes);

/** UTF8String (0x0C). */
export const utf8 = (text: string): Uint8Array => tlv(0x0c, new TextEncoder().encode(text));

/** Small non-negative INTEGER (0x02), minimal two's-complement encoding. */
export function integer(value: number): Uint8Array {
  if (!Number.isInteger(value) || value < 0 || value > 0x7fffffff) {
    throw new RangeError(`integer out of range: ${value}`);
  }
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) {
    bytes.unshift(0);
  }
  return tlv(0x02, Uint8Array.from(bytes));
}

/** BIT STRING (0x03) from the bits that are set, bit 0 being the most significant bit of the first byte. */
export function bitString(setBits: readonly number[]): Uint8Array {
  const highest = setBits.length === 0 ? -1 : Math.max(...setBits);
  const byteCount = Math.floor(highest / 8) + 1;
  const bytes = new Uint8Array(byteCount);
  for (const bit of setBits) {
    const index = Math.floor(bit / 8);
    bytes[index] = (bytes[index] ?? 0) | (0x80 >> (bit % 8));
  }
  const unused = byteCount === 0 ? 0 : 7 - (highest % 8);
  return tlv(0x03, Uint8Array.of(unused), bytes);
}

/** Parses a hex string with optional spaces into bytes. */
export function hex(text: string): Uint8Array {
  const clean = text.replace(/\s+/g, '');
  if (clean.length % 2 !== 0 || /[^0-9a-fA-F]/.test(clean)) {
    throw new Error(`bad hex: ${text}`);
  }
  const out = new Uint8Array(clean.length / 2);
  for (let i = 0; i < out.length; i += 1) {
    out[i] = Number.parseInt(clean.slice(i * 2, i * 2 + 2), 16);
  }
  return out;
}

/** Formats bytes as upper-case hex without spaces. */
export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0'))
    .join('')
    .toUpperCase();
}

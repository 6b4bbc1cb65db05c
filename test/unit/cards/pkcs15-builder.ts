/**
 * Builds PKCS#15 file contents (EF.DIR, ODF, CDF, PrKDF) for the fake card, byte by byte.
 */
const len = (n: number): number[] => (n < 0x80 ? [n] : n < 0x100 ? [0x81, n] : [0x82, n >> 8, n & 0xff]);

/** One TLV. */
export function tlv(tag: number, ...content: (number[] | Uint8Array)[]): number[] {
  const body = content.flatMap((c) => [...c]);
  return [tag, ...len(body.length), ...body];
}

const bytes = (h: string): number[] => [...Buffer.from(h.replace(/ /g, ''), 'hex')];
const utf8 = (s: string): number[] => [...Buffer.from(s, 'utf8')];
const pad = (content: number[], size: number, fill = 0x00): Uint8Array =>
  Uint8Array.from([...content, ...new Array<number>(Math.max(0, size - content.length)).fill(fill)]);

/** EF.DIR with one application template. */
export function efDir(aid: string, label: string, path: string | null, size = 64): Uint8Array {
  return pad(
    tlv(0x61, tlv(0x4f, bytes(aid)), tlv(0x50, utf8(label)), ...(path === null ? [] : [tlv(0x51, bytes(path))])),
    size,
  );
}

/** EF.ODF listing a PrKDF ([0]) and a CDF ([4]). */
export function odf(paths: { prkdf?: string; cdf?: string; trusted?: string }, size = 48): Uint8Array {
  const entry = (tag: number, p: string): number[] => tlv(tag, tlv(0x30, tlv(0x04, bytes(p))));
  return pad(
    [
      ...(paths.prkdf === undefined ? [] : entry(0xa0, paths.prkdf)),
      ...(paths.cdf === undefined ? [] : entry(0xa4, paths.cdf)),
      ...(paths.trusted === undefined ? [] : entry(0xa5, paths.trusted)),
    ],
    size,
  );
}

/** One CDF entry: label, iD, authority flag, certificate path. */
export type CertEntry = { label: string; id: string; path: string; authority?: boolean };

/** A CDF with the given entries (explicit-style `[1] { SEQUENCE { Path } }` type attributes). */
export function cdf(entries: CertEntry[], size = 0, fill = 0x00): Uint8Array {
  const content = entries.flatMap((e) =>
    tlv(
      0x30,
      tlv(0x30, tlv(0x0c, utf8(e.label)), tlv(0x03, [0x06, 0x40])),
      tlv(0x30, tlv(0x04, bytes(e.id)), ...(e.authority === true ? [tlv(0x01, [0xff])] : [])),
      tlv(0xa1, tlv(0x30, tlv(0x30, tlv(0x04, bytes(e.path))))),
    ),
  );
  return pad(content, size, fill);
}

/** A PrKDF with RSA key entries (label, iD). */
export function prkdf(entries: { label: string; id: string }[]): Uint8Array {
  return Uint8Array.from(
    entries.flatMap((e) =>
      tlv(
        0x30,
        tlv(0x30, tlv(0x0c, utf8(e.label)), tlv(0x03, [0x07, 0x80])),
        tlv(0x30, tlv(0x04, bytes(e.id)), tlv(0x03, [0x05, 0x20, 0x00]), tlv(0x02, [0x01])),
        tlv(0xa1, tlv(0x30, tlv(0x30, tlv(0x04, bytes('3F0000010101'))), tlv(0x02, [0x08, 0x00]))),
      ),
    ),
  );
}

/** EF.SN.ICC: `5A 0A 80 25 00 00 01` + BCD card number. */
export function efSnIcc(cardNumber: string): Uint8Array {
  return Uint8Array.from(tlv(0x5a, bytes(`8025000001${cardNumber}`)));
}

/**
 * PKCS#15 / ISO 7816-15 parsing of EF.DIR, EF.ODF, CDF and PrKDF contents, with asn1js.
 *
 * Files are sequences of BER TLVs followed by padding (`00` or `FF`). Parsing is tolerant to the tagging style
 * (implicit or explicit `[1]` type attributes) because it looks for the Path's OCTET STRING inside the subtree, but
 * strict about structure: anything that does not decode raises `card.protocol` with reason `invalid-pkcs15`.
 */
import type * as asn1js from 'asn1js';
import { safeFromBER } from './asn1';
import { protocolError } from './errors';
import { toHex } from './hex';

/** An application template of EF.DIR. */
export type DirApplication = { aid: string; label: string | null; path: string | null };

/** Paths listed by EF.ODF (hex, as stored: absolute `3F00…` or relative). */
export type OdfPaths = { privateKeys: string[]; certificates: string[]; trustedCertificates: string[] };

/** A certificate entry of a CDF. */
export type CdfEntry = { label: string | null; id: string | null; authority: boolean; path: string | null };

/** A private key entry of a PrKDF. */
export type PrkdfEntry = { label: string | null; id: string | null };

/** Scan state of a TLV file being read chunk by chunk. */
export type TlvScan = 'complete' | 'incomplete' | 'invalid';

const CLASS_UNIVERSAL = 1;
const CLASS_APPLICATION = 2;
const CLASS_CONTEXT = 3;
const MAX_ENTRIES = 64;

type Node = asn1js.AsnType;

function isPadding(byte: number | undefined): boolean {
  return byte === 0x00 || byte === 0xff;
}

/** Decode a BER length at `pos`; returns [length, headerBytes] or null when more bytes are needed / invalid. */
function readLength(buf: Uint8Array, pos: number): [number, number] | 'incomplete' | 'invalid' {
  const first = buf[pos];
  if (first === undefined) {
    return 'incomplete';
  }
  if (first < 0x80) {
    return [first, 1];
  }
  const n = first & 0x7f;
  if (n === 0 || n > 3) {
    return 'invalid';
  }
  if (pos + n >= buf.length) {
    return 'incomplete';
  }
  let len = 0;
  for (let i = 1; i <= n; i += 1) {
    len = (len << 8) | (buf[pos + i] ?? 0);
  }
  return [len, 1 + n];
}

/**
 * Decide whether the bytes read so far hold a complete TLV list (followed by padding or the end of data).
 *
 * Used to stop reading a PKCS#15 file early without knowing its size.
 */
export function scanTlvList(buf: Uint8Array): TlvScan {
  let pos = 0;
  for (let n = 0; n <= MAX_ENTRIES; n += 1) {
    if (pos >= buf.length) {
      return 'incomplete';
    }
    if (isPadding(buf[pos])) {
      return n > 0 ? 'complete' : 'invalid';
    }
    // Tag: one byte, or a multi-byte tag number (low 5 bits all set).
    let tagEnd = pos + 1;
    if (((buf[pos] ?? 0) & 0x1f) === 0x1f) {
      while (tagEnd < buf.length && ((buf[tagEnd] ?? 0) & 0x80) !== 0 && tagEnd - pos < 4) {
        tagEnd += 1;
      }
      tagEnd += 1;
    }
    const len = readLength(buf, tagEnd);
    if (len === 'incomplete') {
      return 'incomplete';
    }
    if (len === 'invalid') {
      return 'invalid';
    }
    pos = tagEnd + len[1] + len[0];
  }
  return 'invalid';
}

/** Decode every top-level TLV of a file, stopping at padding. */
export function decodeTlvList(buf: Uint8Array, step: string): Node[] {
  const nodes: Node[] = [];
  let pos = 0;
  while (pos < buf.length && !isPadding(buf[pos])) {
    if (nodes.length >= MAX_ENTRIES) {
      throw protocolError(step, null, 'invalid-pkcs15');
    }
    const decoded = safeFromBER(buf.subarray(pos));
    if (decoded === null) {
      throw protocolError(step, null, 'invalid-pkcs15');
    }
    nodes.push(decoded.result);
    pos += decoded.offset;
  }
  return nodes;
}

function tagClass(node: Node): number {
  return node.idBlock.tagClass;
}

function tagNumber(node: Node): number {
  return node.idBlock.tagNumber;
}

function children(node: Node): Node[] {
  const value: unknown = (node.valueBlock as { value?: unknown }).value;
  // Decoders of malformed input can leave holes; keep only real nodes.
  return Array.isArray(value)
    ? (value as unknown[]).filter((v): v is Node => typeof v === 'object' && v !== null && 'idBlock' in v)
    : [];
}

function primitiveBytes(node: Node): Uint8Array {
  const view = (node.valueBlock as { valueHexView?: Uint8Array }).valueHexView;
  return view instanceof Uint8Array ? view : new Uint8Array(0);
}

function isUniversal(node: Node, number: number): boolean {
  return tagClass(node) === CLASS_UNIVERSAL && tagNumber(node) === number;
}

function utf8(node: Node | undefined): string | null {
  if (node === undefined) {
    return null;
  }
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(primitiveBytes(node));
  } catch {
    return null;
  }
}

/** Depth-first search for the first OCTET STRING (a Path's `path` field) under a node, bounded in depth. */
function findPath(node: Node, depth = 0): string | null {
  if (depth > 6) {
    return null;
  }
  if (isUniversal(node, 4)) {
    const bytes = primitiveBytes(node);
    return bytes.length >= 2 && bytes.length <= 16 && bytes.length % 2 === 0 ? toHex(bytes).toUpperCase() : null;
  }
  for (const child of children(node)) {
    const found = findPath(child, depth + 1);
    if (found !== null) {
      return found;
    }
  }
  return null;
}

/** Parse EF.DIR (application templates `61 { 4F aid, 50 label, 51 path }`). */
export function parseEfDir(buf: Uint8Array): DirApplication[] {
  const apps: DirApplication[] = [];
  for (const node of decodeTlvList(buf, 'ef-dir')) {
    if (tagClass(node) !== CLASS_APPLICATION || tagNumber(node) !== 1) {
      continue;
    }
    let aid: string | null = null;
    let label: string | null = null;
    let path: string | null = null;
    for (const child of children(node)) {
      if (tagClass(child) !== CLASS_APPLICATION) {
        continue;
      }
      if (tagNumber(child) === 15) {
        aid = toHex(primitiveBytes(child)).toUpperCase();
      } else if (tagNumber(child) === 16) {
        label = utf8(child);
      } else if (tagNumber(child) === 17) {
        const bytes = primitiveBytes(child);
        path = bytes.length >= 2 && bytes.length % 2 === 0 ? toHex(bytes).toUpperCase() : null;
      }
    }
    if (aid !== null && aid !== '') {
      apps.push({ aid, label, path });
    }
  }
  return apps;
}

/** Parse EF.ODF: `[0]` private keys, `[4]` certificates, `[5]` trusted certificates. */
export function parseOdf(buf: Uint8Array): OdfPaths {
  const out: OdfPaths = { privateKeys: [], certificates: [], trustedCertificates: [] };
  for (const node of decodeTlvList(buf, 'ef-odf')) {
    if (tagClass(node) !== CLASS_CONTEXT) {
      continue;
    }
    const path = findPath(node);
    if (path === null) {
      continue;
    }
    if (tagNumber(node) === 0) {
      out.privateKeys.push(path);
    } else if (tagNumber(node) === 4) {
      out.certificates.push(path);
    } else if (tagNumber(node) === 5) {
      out.trustedCertificates.push(path);
    }
  }
  return out;
}

/** Common object attributes (label) and class attributes (iD, authority) of a PKCS#15 object. */
function commonAttributes(node: Node): { label: string | null; id: string | null; authority: boolean } {
  const seqs = children(node).filter((c) => isUniversal(c, 16));
  const common = seqs[0];
  const klass = seqs[1];
  const label = common === undefined ? null : utf8(children(common).find((c) => isUniversal(c, 12)));
  const idNode = klass === undefined ? undefined : children(klass).find((c) => isUniversal(c, 4));
  const authNode = klass === undefined ? undefined : children(klass).find((c) => isUniversal(c, 1));
  const authority = authNode !== undefined && (primitiveBytes(authNode)[0] ?? 0) !== 0;
  return { label, id: idNode === undefined ? null : toHex(primitiveBytes(idNode)).toUpperCase(), authority };
}

/** Parse a CDF: X.509 certificate objects with label, iD, authority flag and file path. */
export function parseCdf(buf: Uint8Array): CdfEntry[] {
  const entries: CdfEntry[] = [];
  for (const node of decodeTlvList(buf, 'cdf')) {
    // x509Certificate is the untagged SEQUENCE alternative of CertificateType.
    if (!isUniversal(node, 16)) {
      continue;
    }
    const typeAttributes = children(node).find((c) => tagClass(c) === CLASS_CONTEXT && tagNumber(c) === 1);
    entries.push({ ...commonAttributes(node), path: typeAttributes === undefined ? null : findPath(typeAttributes) });
  }
  return entries;
}

/** Parse a PrKDF: private key objects with label and iD. */
export function parsePrkdf(buf: Uint8Array): PrkdfEntry[] {
  return decodeTlvList(buf, 'prkdf')
    .filter((node) => node.idBlock.isConstructed)
    .map((node) => {
      const { label, id } = commonAttributes(node);
      return { label, id };
    });
}

/**
 * The virtual card's file tree (ISO 7816-4): dedicated files (DF) holding elementary files (EF), addressed by
 * two-byte file identifiers, with path resolution and the FCP template returned by SELECT.
 */
import { concatBytes, tlv } from './der';

/** A transparent elementary file. `readable: false` models key files (READ BINARY → 6982). */
export type ElementaryFile = {
  readonly kind: 'ef';
  readonly fid: number;
  readonly content: Uint8Array;
  readonly readable: boolean;
};

/** A dedicated file; `aid` makes it selectable by name; `applet` marks a DF reachable only once its applet is selected on a logical channel (CPS4). */
export type DedicatedFile = {
  readonly kind: 'df';
  readonly fid: number;
  readonly aid?: Uint8Array;
  readonly applet?: boolean;
  readonly children: readonly CardNode[];
};

/** Any node of the tree. */
export type CardNode = ElementaryFile | DedicatedFile;

/** A resolved node with the chain of DFs that lead to it (root first), so a SELECT can update the current DF. */
export type Located = { readonly node: CardNode; readonly parents: readonly DedicatedFile[] };

/** The master file identifier. */
export const MF_FID = 0x3f00;

/** Builds an EF. */
export const ef = (fid: number, content: Uint8Array, readable = true): ElementaryFile => ({
  kind: 'ef',
  fid,
  content,
  readable,
});

/** Builds a DF. */
export const df = (fid: number, children: readonly CardNode[], extra: { aid?: Uint8Array; applet?: boolean } = {}) =>
  ({ kind: 'df', fid, children, ...extra }) satisfies DedicatedFile;

/** Finds a direct child by file identifier. */
export function childOf(dir: DedicatedFile, fid: number): CardNode | undefined {
  return dir.children.find((child) => child.fid === fid);
}

/** Splits a path (even number of bytes) into file identifiers; returns undefined when malformed. */
export function splitPath(path: Uint8Array): number[] | undefined {
  if (path.length === 0 || path.length % 2 !== 0) {
    return undefined;
  }
  const fids: number[] = [];
  for (let i = 0; i < path.length; i += 2) {
    fids.push(((path[i] ?? 0) << 8) | (path[i + 1] ?? 0));
  }
  return fids;
}

/**
 * Walks `fids` starting below `start` (whose own chain is `startParents`). Stops at the first missing node.
 * `allowApplets` is false on the basic channel of a CPS4 card: the PKI DF exists only behind its applet.
 */
export function walk(
  start: DedicatedFile,
  startParents: readonly DedicatedFile[],
  fids: readonly number[],
  allowApplets: boolean,
): Located | undefined {
  let current: CardNode = start;
  let parents: DedicatedFile[] = [...startParents];
  for (const fid of fids) {
    if (current.kind !== 'df') {
      return undefined;
    }
    const next = childOf(current, fid);
    if (!next || (next.kind === 'df' && next.applet === true && !allowApplets)) {
      return undefined;
    }
    parents = [...parents, current];
    current = next;
  }
  return { node: current, parents };
}

/** Depth-first search for a DF by application identifier. */
export function findByAid(root: DedicatedFile, aid: Uint8Array): Located | undefined {
  const visit = (dir: DedicatedFile, parents: readonly DedicatedFile[]): Located | undefined => {
    if (dir.aid && sameBytes(dir.aid, aid)) {
      return { node: dir, parents };
    }
    for (const child of dir.children) {
      if (child.kind === 'df') {
        const found = visit(child, [...parents, dir]);
        if (found) {
          return found;
        }
      }
    }
    return undefined;
  };
  return visit(root, []);
}

/** File control parameters (ISO 7816-4 tag 62) for a SELECT with P2=04. */
export function fcp(node: CardNode): Uint8Array {
  const fid = Uint8Array.of(node.fid >> 8, node.fid & 0xff);
  if (node.kind === 'ef') {
    const size = node.content.length;
    return tlv(
      0x62,
      tlv(0x80, Uint8Array.of(size >> 8, size & 0xff)),
      tlv(0x82, Uint8Array.of(0x01)),
      tlv(0x83, fid),
      tlv(0x8a, Uint8Array.of(0x05)),
    );
  }
  return tlv(
    0x62,
    concatBytes(
      tlv(0x82, Uint8Array.of(0x38)),
      tlv(0x83, fid),
      node.aid ? tlv(0x84, node.aid) : new Uint8Array(0),
      tlv(0x8a, Uint8Array.of(0x05)),
    ),
  );
}

/** Byte-wise equality. */
export function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  return a.length === b.length && a.every((value, index) => value === b[index]);
}

import { realpath, stat } from 'node:fs/promises';
import { isAbsolute, join, relative as relativePath, sep } from 'node:path';

/** What a URL path names inside a served folder. */
export type InsideResolution =
  { kind: 'file'; path: string } | { kind: 'missing' } | { kind: 'refused'; reason: 'malformed' | 'outside' };

/**
 * Resolve a URL path (percent-encoded, as received) to a regular file inside `root`, both hosts' one traversal
 * guard. Decodes once, treats `/` and `\` alike as separators, refuses NUL bytes, `..` segments and drive or stream
 * names (`C:`, `file:stream`) before touching the disk, then compares real paths so a symbolic link inside the folder
 * cannot lead outside it. A folder or an absent file is `missing`; the caller decides on a fallback.
 */
export async function resolveInside(root: string, urlPath: string): Promise<InsideResolution> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return { kind: 'refused', reason: 'malformed' };
  }
  if (decoded.includes('\0')) {
    return { kind: 'refused', reason: 'malformed' };
  }
  const segments = decoded.split(/[/\\]+/).filter((segment) => segment !== '' && segment !== '.');
  if (segments.some((segment) => segment === '..' || segment.includes(':'))) {
    return { kind: 'refused', reason: 'outside' };
  }
  let realRoot: string;
  let realTarget: string;
  try {
    realRoot = await realpath(root);
    realTarget = await realpath(join(realRoot, ...segments));
  } catch {
    return { kind: 'missing' };
  }
  if (!isWithin(realRoot, realTarget)) {
    return { kind: 'refused', reason: 'outside' };
  }
  try {
    return (await stat(realTarget)).isFile() ? { kind: 'file', path: realTarget } : { kind: 'missing' };
  } catch {
    return { kind: 'missing' };
  }
}

/** True when `target` is `root` itself or below it (both already real, absolute paths). */
function isWithin(root: string, target: string): boolean {
  const rel = relativePath(root, target);
  return rel === '' || (rel !== '..' && !rel.startsWith(`..${sep}`) && !isAbsolute(rel));
}

import { readFile } from 'node:fs/promises';
import { extname, join } from 'node:path';
import { resolveInside } from '../resolve-inside';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
};

/**
 * The renderer file a URL path names, refusing anything that escapes the folder (see `resolveInside`). Unknown paths
 * without an extension fall back to index.html (client-side routes); files of unlisted types are not served.
 */
export async function loadStaticFile(
  rootDir: string,
  urlPath: string,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  const resolved = await resolveInside(rootDir, urlPath === '/' ? '/index.html' : urlPath);
  if (resolved.kind === 'refused') {
    return undefined;
  }
  if (resolved.kind === 'file') {
    const type = contentTypes[extname(resolved.path)];
    return type === undefined ? undefined : { body: await readFile(resolved.path), contentType: type };
  }
  if (extname(urlPath) !== '') {
    return undefined;
  }
  return { body: await readFile(join(rootDir, 'index.html')), contentType: contentTypes['.html'] ?? 'text/html' };
}

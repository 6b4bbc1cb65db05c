import { readFile } from 'node:fs/promises';
import { extname, join, normalize, sep } from 'node:path';

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
 * Resolve a URL path inside the renderer folder, refusing anything that escapes it. Unknown paths fall back to
 * index.html (client-side routes).
 */
export async function loadStaticFile(
  rootDir: string,
  urlPath: string,
): Promise<{ body: Buffer; contentType: string } | undefined> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return undefined;
  }
  const relative = normalize(decoded === '/' ? '/index.html' : decoded).replace(/^([/\\])+/, '');
  const absolute = join(rootDir, relative);
  if (!absolute.startsWith(rootDir + sep) || relative.includes('\0')) {
    return undefined;
  }
  const type = contentTypes[extname(absolute)];
  try {
    if (type !== undefined) {
      return { body: await readFile(absolute), contentType: type };
    }
  } catch {
    // Not a file: fall through to the application shell.
  }
  if (extname(relative) !== '') {
    return undefined;
  }
  return { body: await readFile(join(rootDir, 'index.html')), contentType: contentTypes['.html'] ?? 'text/html' };
}

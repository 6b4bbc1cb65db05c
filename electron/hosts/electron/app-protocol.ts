import { readFile } from 'node:fs/promises';
import { contentSecurityPolicy, createNonce, injectNonce } from '../../app/csp';
import { extname, join } from 'node:path';
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { resolveInside } from '../resolve-inside';
import { isAppUrl } from './window-security';

/**
 * Must run before `app.ready`: declares `app:` a standard, secure scheme. The renderer is ES modules loaded with
 * `crossorigin` and lazy pages come through `import()`, both fetched in CORS mode: the scheme must support the Fetch
 * API. `corsEnabled` stays off, so no other origin can read from it.
 */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: true, corsEnabled: false } },
  ]);
}

const securityHeaders = { 'X-Content-Type-Options': 'nosniff' };

function refuse(status: number, text: string): Response {
  return new Response(text, { status, headers: { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' } });
}

/**
 * The `app:` request handler: serves files of `rendererDir` with the CSP header, refusing other hosts, other
 * methods and paths that escape the folder. `fetchFile` reads a `file:` URL (Electron's `net.fetch` in production).
 */
export function createRendererHandler(
  rendererDir: string,
  fetchFile: (fileUrl: string) => Promise<Response>,
): (request: Request) => Promise<Response> {
  return async (request) => {
    // Scheme + host, not `url.origin`: Node's URL gives `app:` URLs the origin 'null' (see isAppUrl).
    if (!isAppUrl(request.url)) {
      return refuse(403, 'Forbidden');
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      return refuse(405, 'Method not allowed');
    }
    const pathname = new URL(request.url).pathname;
    const resolved = await resolveInside(rendererDir, pathname);
    if (resolved.kind === 'refused') {
      return resolved.reason === 'malformed' ? refuse(400, 'Bad request') : refuse(403, 'Forbidden');
    }
    // Client-side routes (no extension) get the application shell; a missing asset is a 404.
    const absolute =
      resolved.kind === 'file' ? resolved.path : extname(pathname) === '' ? join(rendererDir, 'index.html') : undefined;
    if (absolute === undefined) {
      return refuse(404, 'Not found');
    }
    const nonce = createNonce();
    const csp = contentSecurityPolicy({ nonce, connectSrc: [] });
    if (absolute.endsWith('.html')) {
      const html = injectNonce(await readFile(absolute, 'utf8'), nonce);
      return new Response(request.method === 'HEAD' ? null : html, {
        headers: { ...securityHeaders, 'Content-Type': 'text/html; charset=utf-8', 'Content-Security-Policy': csp },
      });
    }
    const response = await fetchFile(pathToFileURL(absolute).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(request.method === 'HEAD' ? null : response.body, { status: response.status, headers });
  };
}

/**
 * Serve `dist/renderer` under `app://psc/` with the CSP header, refusing paths that escape the folder.
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle(
    'app',
    createRendererHandler(rendererDir, (fileUrl) => net.fetch(fileUrl)),
  );
}

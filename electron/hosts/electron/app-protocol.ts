import { readFile, stat } from 'node:fs/promises';
import { contentSecurityPolicy, createNonce, injectNonce } from '../../app/csp';
import { extname, join, normalize, sep } from 'node:path';
import { net, protocol } from 'electron';
import { pathToFileURL } from 'node:url';
import { appOrigin } from './window-security';

/** Must run before `app.ready`: declares `app:` a standard, secure scheme. */
export function registerAppScheme(): void {
  protocol.registerSchemesAsPrivileged([
    { scheme: 'app', privileges: { standard: true, secure: true, supportFetchAPI: false, corsEnabled: false } },
  ]);
}

/**
 * Serve `dist/renderer` under `app://psc/` with the CSP header, refusing paths that escape the folder.
 */
export function serveRenderer(rendererDir: string): void {
  protocol.handle('app', async (request) => {
    const url = new URL(request.url);
    if (url.origin !== appOrigin) {
      return new Response('Forbidden', { status: 403 });
    }
    const relative = normalize(decodeURIComponent(url.pathname)).replace(/^([/\\])+/, '') || 'index.html';
    const absolute = join(rendererDir, extname(relative) === '' ? 'index.html' : relative);
    if (!absolute.startsWith(rendererDir + sep)) {
      return new Response('Forbidden', { status: 403 });
    }
    try {
      if (!(await stat(absolute)).isFile()) {
        return new Response('Not found', { status: 404 });
      }
    } catch {
      return new Response('Not found', { status: 404 });
    }
    const nonce = createNonce();
    const csp = contentSecurityPolicy({ nonce, connectSrc: [] });
    if (absolute.endsWith('.html')) {
      const html = injectNonce(await readFile(absolute, 'utf8'), nonce);
      return new Response(html, {
        headers: {
          'Content-Type': 'text/html; charset=utf-8',
          'Content-Security-Policy': csp,
          'X-Content-Type-Options': 'nosniff',
        },
      });
    }
    const response = await net.fetch(pathToFileURL(absolute).toString());
    const headers = new Headers(response.headers);
    headers.set('Content-Security-Policy', csp);
    headers.set('X-Content-Type-Options', 'nosniff');
    return new Response(response.body, { status: response.status, headers });
  });
}

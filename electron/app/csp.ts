import { randomBytes } from 'node:crypto';

/** Placeholder Vite writes into index.html (`html.cspNonce`), replaced per response by the hosts. */
export const noncePlaceholder = '__CSP_NONCE__';

/** A fresh nonce for one HTML response. */
export function createNonce(): string {
  return randomBytes(16).toString('base64');
}

/**
 * Content-Security-Policy shared by both hosts: our origin only, no eval, no inline script, no remote anything.
 *
 * Styles carry a per-response nonce: Fluent UI (Griffel) creates `<style>` elements, and the nonce lets exactly those
 * through without `'unsafe-inline'`.
 */
export function contentSecurityPolicy(options: { nonce: string; connectSrc: readonly string[] }): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    `style-src 'self' 'nonce-${options.nonce}'`,
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${options.connectSrc.length === 0 ? "'none'" : options.connectSrc.join(' ')}`,
    "manifest-src 'self'",
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
    "object-src 'none'",
  ].join('; ');
}

/** Put the response's nonce into the HTML where Vite left the placeholder. */
export function injectNonce(html: string, nonce: string): string {
  return html.replaceAll(noncePlaceholder, nonce);
}

/**
 * A "browser" for demo mode and tests: loads the authorize URL from the emulated authority (which auto-consents for
 * the configured demo user), then submits its form_post hand-back to the app's loopback redirect, as a browser would.
 * Refuses any host other than the emulator and the loopback redirect.
 */
import { request as httpsRequest } from 'node:https';
import { AppError } from '../../../shared/errors';

const decode = (s: string): string =>
  s
    .replaceAll('&quot;', '"')
    .replaceAll('&#39;', "'")
    .replaceAll('&lt;', '<')
    .replaceAll('&gt;', '>')
    .replaceAll('&amp;', '&');

function getHtml(url: string, caCertPem: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = httpsRequest(url, { ca: caCertPem, timeout: 10_000 }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        resolve(Buffer.concat(chunks).toString('utf8'));
      });
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('authorize page timed out')));
    req.on('error', reject);
    req.end();
  });
}

/** Creates an `openBrowser` that completes sign-in without a person (emulated authority with auto sign-in only). */
export function createAutoConsentBrowser(input: {
  authorityUrl: string;
  caCertPem: string;
}): (url: string) => Promise<void> {
  const authority = new URL(input.authorityUrl);
  return async (url: string) => {
    if (new URL(url).origin !== authority.origin) {
      throw new AppError('identity.failed', { details: { reason: 'auto-consent browser only talks to the emulator' } });
    }
    const html = await getHtml(url, input.caCertPem);
    const action = /<form id="handback" method="post" action="([^"]+)"/.exec(html)?.[1];
    if (!action) {
      throw new AppError('identity.failed', {
        details: { reason: 'the authority did not auto-consent (is autoSignIn configured?)' },
      });
    }
    const target = new URL(decode(action));
    if (target.protocol !== 'http:' || (target.hostname !== 'localhost' && target.hostname !== '127.0.0.1')) {
      throw new AppError('identity.failed', { details: { reason: 'redirect is not loopback' } });
    }
    const fields = [...html.matchAll(/<input type="hidden" name="([^"]+)" value="([^"]*)">/g)].map((m) => [
      decode(m[1] ?? ''),
      decode(m[2] ?? ''),
    ]);
    const res = await fetch(target, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams(fields).toString(),
    });
    await res.arrayBuffer();
  };
}

/**
 * MSAL network module over Node `https` with an injected trust anchor.
 *
 * Used with the emulated authority (its CA is passed as `ca`) and in live mode (no `ca`: the system store). TLS
 * verification stays on in every case; MSAL calls it for discovery, token and device-code requests only.
 */
import { request as httpsRequest } from 'node:https';
import type { INetworkModule, NetworkRequestOptions, NetworkResponse } from '@azure/msal-node';

/** Options of the network module. */
export type MsalNetworkOptions = {
  /** Extra trust anchors in PEM (the emulator's certificate); omit to use the system store only. */
  readonly caCertPem?: string | undefined;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs?: number;
};

const maxResponseBytes = 2 * 1024 * 1024;

/** Creates an MSAL `INetworkModule` that verifies TLS against the given CA. */
export function createMsalNetworkModule(options: MsalNetworkOptions = {}): INetworkModule {
  const send = <T>(method: 'GET' | 'POST', url: string, req?: NetworkRequestOptions, timeout?: number) =>
    new Promise<NetworkResponse<T>>((resolve, reject) => {
      const u = new URL(url);
      if (u.protocol !== 'https:') {
        reject(new Error(`refusing non-HTTPS authority URL ${u.origin}`));
        return;
      }
      const body = req?.body;
      const headers: Record<string, string> = { ...(req?.headers ?? {}) };
      if (body !== undefined) {
        headers['content-length'] = String(Buffer.byteLength(body));
      }
      const r = httpsRequest(
        u,
        {
          method,
          headers,
          ...(options.caCertPem ? { ca: options.caCertPem } : {}),
          timeout: timeout ?? options.timeoutMs ?? 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > maxResponseBytes) {
              res.destroy(new Error('authority response too large'));
              return;
            }
            chunks.push(c);
          });
          res.on('error', reject);
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            const outHeaders: Record<string, string> = {};
            for (const [k, v] of Object.entries(res.headers)) {
              if (typeof v === 'string') {
                outHeaders[k] = v;
              } else if (Array.isArray(v)) {
                outHeaders[k] = v.join(', ');
              }
            }
            let parsed: unknown;
            try {
              parsed = text.length > 0 ? JSON.parse(text) : {};
            } catch {
              parsed = { error: 'invalid_response', error_description: text.slice(0, 200) };
            }
            resolve({ headers: outHeaders, body: parsed as T, status: res.statusCode ?? 0 });
          });
        },
      );
      r.on('timeout', () => {
        r.destroy(new Error('authority request timed out'));
      });
      r.on('error', reject);
      r.end(body);
    });
  return {
    sendGetRequestAsync: <T>(url: string, req?: NetworkRequestOptions, timeout?: number) =>
      send<T>('GET', url, req, timeout),
    sendPostRequestAsync: <T>(url: string, req?: NetworkRequestOptions) => send<T>('POST', url, req),
  };
}

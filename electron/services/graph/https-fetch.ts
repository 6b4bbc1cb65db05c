/**
 * A `fetch` over Node `https` with an injected trust anchor and a keep-alive agent.
 *
 * Node's global fetch cannot take a CA per call without undici internals; this small implementation verifies TLS
 * against the emulator's certificate (or the system store in live mode) and keeps connections warm. Connection
 * failures surface as errors carrying Node's `code` (ECONNREFUSED, ECONNRESET…), which the retry policy reads.
 */
import { Agent, request as httpsRequest } from 'node:https';

/** The subset of `fetch` the Graph stack uses. */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<Response>;

/** Options of the HTTPS fetch. */
export type HttpsFetchOptions = {
  readonly caCertPem?: string | undefined;
  readonly timeoutMs?: number;
  /** Largest response body accepted (bytes). */
  readonly maxResponseBytes?: number;
};

/** A connection-level failure; `sent` tells whether the request may have reached the server. */
export class TransportError extends Error {
  constructor(
    readonly code: string,
    readonly sent: boolean,
    message: string,
  ) {
    super(message);
    this.name = 'TransportError';
  }
}

/** Creates a fetch bound to one agent (one per service; `close()` frees its sockets). */
export function createHttpsFetch(options: HttpsFetchOptions = {}): FetchLike & { close(): void } {
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ...(options.caCertPem ? { ca: options.caCertPem } : {}) });
  const limit = options.maxResponseBytes ?? 64 * 1024 * 1024;
  const fetchImpl = (url: string, init: { method?: string; headers?: Record<string, string>; body?: string } = {}) =>
    new Promise<Response>((resolve, reject) => {
      const u = new URL(url);
      if (u.protocol !== 'https:') {
        reject(new TransportError('EPROTO', false, 'only https is allowed'));
        return;
      }
      let wroteRequest = false;
      const req = httpsRequest(
        u,
        { method: init.method ?? 'GET', headers: init.headers, agent, timeout: options.timeoutMs ?? 60_000 },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > limit) {
              res.destroy(new TransportError('ETOOBIG', true, 'response too large'));
              return;
            }
            chunks.push(c);
          });
          res.on('error', (e: NodeJS.ErrnoException) => {
            reject(e instanceof TransportError ? e : new TransportError(e.code ?? 'ECONNRESET', true, e.message));
          });
          res.on('end', () => {
            const headers = new Headers();
            for (const [k, v] of Object.entries(res.headers)) {
              if (typeof v === 'string') {
                headers.set(k, v);
              } else if (Array.isArray(v)) {
                headers.set(k, v.join(', '));
              }
            }
            const status = res.statusCode ?? 0;
            const nullBody = status === 204 || status === 304 || chunks.length === 0;
            resolve(new Response(nullBody ? null : Buffer.concat(chunks), { status, headers }));
          });
        },
      );
      req.on('socket', (socket) => {
        // A reused keep-alive socket is already connected: the request may be sent at once.
        if (!socket.connecting) {
          wroteRequest = true;
          return;
        }
        socket.once('connect', () => {
          wroteRequest = true;
        });
      });
      req.on('timeout', () => {
        req.destroy(new TransportError('ETIMEDOUT', true, 'request timed out'));
      });
      req.on('error', (e: NodeJS.ErrnoException) => {
        if (e instanceof TransportError) {
          reject(e);
          return;
        }
        const code = e.code ?? 'ECONNRESET';
        // Refused or unresolved connections never carried the request.
        const notSent =
          code === 'ECONNREFUSED' ||
          code === 'ENOTFOUND' ||
          code === 'EAI_AGAIN' ||
          code === 'ENETUNREACH' ||
          !wroteRequest;
        reject(new TransportError(code, !notSent, e.message));
      });
      req.end(init.body);
    });
  return Object.assign(fetchImpl, {
    close: () => {
      agent.destroy();
    },
  });
}

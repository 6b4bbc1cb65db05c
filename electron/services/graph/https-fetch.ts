/**
 * A `fetch` over Node `https` with an injected trust anchor and a keep-alive agent.
 *
 * Node's global fetch cannot take a CA per call without undici internals; this small implementation verifies TLS
 * against the emulator's certificate (or the system store in live mode) and keeps connections warm. Connection
 * failures surface as errors carrying Node's `code` (ECONNREFUSED, ECONNRESET…), which the retry policy reads.
 */
import { Agent, request as httpsRequest } from 'node:https';

/** The part of a fetch `Response` the Graph stack reads (a real `Response` satisfies it). */
export type HttpResponseLike = {
  readonly status: number;
  readonly ok: boolean;
  readonly statusText: string;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
  clone(): HttpResponseLike;
};

/** The subset of `fetch` the Graph stack uses. */
export type FetchLike = (
  url: string,
  init?: { method?: string; headers?: Record<string, string>; body?: string },
) => Promise<HttpResponseLike>;

/**
 * A buffered response. Lighter than undici's `Response` (no web streams, no `Headers` copies): on loopback the
 * client stack's own cost is what the overhead benchmark sees, so this matters.
 */
class BufferedResponse implements HttpResponseLike {
  readonly ok: boolean;
  readonly statusText = '';
  readonly body = null;
  readonly headers: { get(name: string): string | null };
  constructor(
    readonly status: number,
    private readonly raw: Readonly<Record<string, string | string[] | undefined>>,
    private readonly payload: Buffer,
  ) {
    this.ok = status >= 200 && status < 300;
    this.headers = {
      get: (name: string) => {
        const v = this.raw[name.toLowerCase()];
        return v === undefined ? null : Array.isArray(v) ? v.join(', ') : v;
      },
    };
  }
  text(): Promise<string> {
    return Promise.resolve(this.payload.toString('utf8'));
  }
  json(): Promise<unknown> {
    try {
      return Promise.resolve(JSON.parse(this.payload.toString('utf8')) as unknown);
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error('invalid JSON'));
    }
  }
  clone(): HttpResponseLike {
    return new BufferedResponse(this.status, this.raw, this.payload);
  }
}

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
    new Promise<HttpResponseLike>((resolve, reject) => {
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
            const body = chunks.length === 1 && chunks[0] ? chunks[0] : Buffer.concat(chunks);
            resolve(new BufferedResponse(res.statusCode ?? 0, res.headers, body));
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

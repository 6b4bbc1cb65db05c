/**
 * Raw HTTPS calls to the Graph emulator (no client stack): tests that assert Graph's exact status, headers and
 * error bodies use it, with a token the authority emulator signs for a seeded user.
 */
import { request } from 'node:https';
import type { Emulators } from './index';

/** What the emulator answered. */
export type RawGraphReply = {
  readonly status: number;
  readonly headers: Readonly<Record<string, string | string[] | undefined>>;
  readonly body: unknown;
};

/** Graph's error body (`{ error: { code, message, innerError } }`). */
export type GraphErrorBody = {
  error: { code: string; message: string; innerError?: { date: string; 'request-id': string } };
};

/**
 * Sends one request as `userPrincipalName` with `scopes` (a bound caller: `const call = rawGraph(emu, upn, scopes)`).
 * The authority remembers consent per client: pass a fresh `clientId` for a token limited to `scopes`.
 */
export function rawGraph(emu: Emulators, userPrincipalName: string, scopes: readonly string[], clientId?: string) {
  const token = emu.authority.issueAccessToken({ userPrincipalName, scopes, ...(clientId ? { clientId } : {}) });
  return (method: string, path: string, body?: unknown, version: 'v1.0' | 'beta' = 'v1.0'): Promise<RawGraphReply> =>
    new Promise((resolve, reject) => {
      const url = new URL(`${emu.graph.url}/${version}${path}`);
      const payload = body === undefined ? undefined : JSON.stringify(body);
      const req = request(
        url,
        {
          method,
          ca: emu.graph.caCertPem,
          headers: {
            authorization: `Bearer ${token}`,
            ...(payload === undefined ? {} : { 'content-type': 'application/json' }),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: text ? (JSON.parse(text) as unknown) : undefined,
            });
          });
          res.on('error', reject);
        },
      );
      req.on('error', reject);
      req.end(payload);
    });
}

/** The error of a reply (throws when the body is not Graph's error shape). */
export function graphErrorOf(reply: RawGraphReply): GraphErrorBody['error'] {
  const e = (reply.body as Partial<GraphErrorBody> | undefined)?.error;
  if (e === undefined || typeof e.code !== 'string') {
    throw new Error(`not a Graph error body: ${JSON.stringify(reply.body)}`);
  }
  return e;
}

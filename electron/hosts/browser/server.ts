import { randomBytes } from 'node:crypto';
import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { contractErrorCodes, errorResult } from '../../../shared/contract/envelope';
import { maxWireMessageBytes, wireRequestSchema } from '../../../shared/contract/wire';
import type { WireReply } from '../../../shared/contract/wire';
import type { Logger } from '../../../shared/logging';
import type { AppRuntime } from '../../app/runtime';
import { contentSecurityPolicy, createNonce, injectNonce } from '../../app/csp';
import { hostIsAllowed, originIsAllowed, readSessionCookie, secretMatches, sessionCookieName } from './security';
import { loadStaticFile } from './static-files';

export type BrowserShell = {
  /** Where the shell listens, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /** The URL to open once: it carries the launch secret, which the server swaps for an HttpOnly cookie. */
  readonly launchUrl: string;
  close(): Promise<void>;
};

export type BrowserShellOptions = {
  runtime: AppRuntime;
  rendererDir: string;
  logger: Logger;
  port?: number;
  /** Per-launch secret; random by default. Tests pass their own. */
  secret?: string;
};

const securityHeaders = {
  'X-Content-Type-Options': 'nosniff',
  'Referrer-Policy': 'no-referrer',
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Resource-Policy': 'same-origin',
  'X-Frame-Options': 'DENY',
  'Cache-Control': 'no-store',
};

/**
 * Serve the renderer and the contract on 127.0.0.1 only.
 *
 * Every HTTP request and the WebSocket handshake must prove the per-launch secret (query once, then cookie), name
 * our exact Host, and, for the WebSocket, come from our own Origin. No CORS headers are ever sent.
 */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const secret = options.secret ?? randomBytes(32).toString('base64url');
  let port = 0;
  let origin = '';
  const sockets = new Set<WebSocket>();

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  const handleHttp = async (request: IncomingMessage, response: ServerResponse) => {
    if (!hostIsAllowed(request, port)) {
      refuse(response, 421, 'Hôte refusé.');
      return;
    }
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      refuse(response, 405, 'Méthode refusée.');
      return;
    }
    const url = new URL(request.url ?? '/', origin);
    const presented = url.searchParams.get('t');
    if (presented !== null) {
      if (!secretMatches(presented, secret)) {
        refuse(response, 403, 'Jeton de session invalide. Relancez l’assistant.');
        return;
      }
      response.writeHead(303, {
        ...securityHeaders,
        'Set-Cookie': `${sessionCookieName(port)}=${secret}; HttpOnly; SameSite=Strict; Path=/`,
        Location: url.pathname,
      });
      response.end();
      return;
    }
    if (!secretMatches(readSessionCookie(request, port), secret)) {
      refuse(response, 401, 'Session absente ou expirée. Relancez l’assistant et utilisez l’adresse qu’il affiche.');
      return;
    }
    const file = await loadStaticFile(options.rendererDir, url.pathname);
    if (file === undefined) {
      refuse(response, 404, 'Introuvable.');
      return;
    }
    const nonce = createNonce();
    const body = file.contentType.startsWith('text/html') ? injectNonce(file.body.toString('utf8'), nonce) : file.body;
    response.writeHead(200, {
      ...securityHeaders,
      'Content-Type': file.contentType,
      'Content-Security-Policy': contentSecurityPolicy({ nonce, connectSrc: [origin.replace(/^http/, 'ws')] }),
    });
    response.end(request.method === 'HEAD' ? undefined : body);
  };

  const server = createServer((request, response) => {
    handleHttp(request, response).catch((error: unknown) => {
      options.logger.error('http handler failed', { error: String(error) });
      if (!response.headersSent) {
        refuse(response, 500, 'Erreur interne.');
      }
    });
  });

  const wss = new WebSocketServer({ noServer: true, maxPayload: maxWireMessageBytes });

  const rejectUpgrade = (socket: Duplex, status: number, reason: string) => {
    options.logger.warn('websocket refused', { reason });
    socket.end(`HTTP/1.1 ${String(status)} ${reason}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
  };

  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== '/ws') {
      rejectUpgrade(socket, 404, 'Not Found');
    } else if (!hostIsAllowed(request, port)) {
      rejectUpgrade(socket, 421, 'Misdirected Request');
    } else if (!originIsAllowed(request, origin)) {
      rejectUpgrade(socket, 403, 'Forbidden');
    } else if (!secretMatches(readSessionCookie(request, port), secret)) {
      rejectUpgrade(socket, 401, 'Unauthorized');
    } else {
      wss.handleUpgrade(request, socket, head, (ws) => {
        wss.emit('connection', ws, request);
      });
    }
  });

  const send = (ws: WebSocket, reply: WireReply) => {
    ws.send(JSON.stringify(reply));
  };

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    ws.on('message', (data, isBinary) => {
      void handleMessage(ws, isBinary || !Buffer.isBuffer(data) ? undefined : data.toString('utf8'));
    });
  });

  const handleMessage = async (ws: WebSocket, text: string | undefined) => {
    let json: unknown;
    try {
      json = text === undefined ? undefined : JSON.parse(text);
    } catch {
      json = undefined;
    }
    const request = wireRequestSchema.safeParse(json);
    if (!request.success) {
      // Without a valid id there is nobody to answer: close rather than guess.
      ws.close(1008, contractErrorCodes.invalidMessage);
      return;
    }
    const result = await options.runtime
      .dispatch(request.data.channel, request.data.payload)
      .catch(() => errorResult(contractErrorCodes.internal, 'errors.internal'));
    if (ws.readyState === ws.OPEN) {
      send(ws, { kind: 'result', id: request.data.id, result });
    }
  };

  const unsubscribe = options.runtime.subscribe((event, payload) => {
    for (const ws of sockets) {
      send(ws, { kind: 'event', event, payload });
    }
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      resolve();
    });
  });
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;

  return {
    origin,
    launchUrl: `${origin}/?t=${secret}`,
    async close() {
      unsubscribe();
      for (const ws of sockets) {
        ws.terminate();
      }
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) =>
        server.close(() => {
          resolve();
        }),
      );
    },
  };
}

import { createServer } from 'node:http';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';
import { maxWireMessageBytes } from '../../../shared/contract/wire';
import { en } from '../../../shared/i18n/en';
import { fr } from '../../../shared/i18n/fr';
import type { Logger } from '../../../shared/logging';
import type { AppRuntime } from '../../app/runtime';
import { contentSecurityPolicy, createNonce, injectNonce } from '../../app/csp';
import {
  createLaunchTokens,
  hostIsAllowed,
  originIsAllowed,
  randomToken,
  readSessionCookie,
  secretMatches,
  sessionCookieName,
} from './security';
import { loadStaticFile } from './static-files';
import { sendReply, serveWireConnection } from './wire-connection';

export type BrowserShell = {
  /** Where the shell listens, e.g. `http://127.0.0.1:41234`. */
  readonly origin: string;
  /**
   * The first launch URL: it carries a single-use launch token, which the server swaps once for an HttpOnly session
   * cookie (a different random value); opening it again is refused.
   */
  readonly launchUrl: string;
  /** Mint another single-use launch URL (for another browser context or window). */
  newLaunchUrl(): string;
  close(): Promise<void>;
};

export type BrowserShellOptions = {
  runtime: AppRuntime;
  rendererDir: string;
  logger: Logger;
  port?: number;
  /** The first single-use launch token; random by default. Tests pass their own. */
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
 * Every HTTP request and the WebSocket handshake must carry the session cookie, name our exact Host, and, for the
 * WebSocket, come from our own Origin. The cookie is obtained once per launch token (`?t=`); launch tokens are
 * single-use because they travel on command lines, stdout and browser history, while the session token never leaves
 * the HttpOnly cookie. No CORS headers are ever sent.
 */
export async function startBrowserShell(options: BrowserShellOptions): Promise<BrowserShell> {
  const launchTokens = createLaunchTokens(options.secret);
  const firstToken = options.secret ?? launchTokens.mint();
  const sessionToken = randomToken();
  let port = 0;
  let origin = '';
  const sockets = new Set<WebSocket>();

  const refuse = (response: ServerResponse, status: number, text: string) => {
    response.writeHead(status, { ...securityHeaders, 'Content-Type': 'text/plain; charset=utf-8' });
    response.end(text);
  };

  /** A small self-contained page (no script) for a refused launch address, in French then English. */
  const refusePage = (response: ServerResponse, status: number, key: 'launchUsed' | 'launchInvalid') => {
    response.writeHead(status, {
      ...securityHeaders,
      'Content-Type': 'text/html; charset=utf-8',
      'Content-Security-Policy': "default-src 'none'",
    });
    response.end(
      `<!doctype html><html lang="fr"><head><meta charset="utf-8"><title>${fr.app.title}</title></head><body>` +
        `<h1>${fr.app.title}</h1><p>${fr.app[key]}</p><p lang="en">${en.app[key]}</p></body></html>`,
    );
  };

  const hasSession = (request: IncomingMessage) => secretMatches(readSessionCookie(request, port), sessionToken);

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
      // Already signed in (a reopened or reloaded launch address): drop the token from the address, keep the session.
      const outcome = hasSession(request) ? 'signed-in' : launchTokens.redeem(presented);
      if (outcome === 'already-used' || outcome === 'unknown') {
        options.logger.warn('launch token refused', { outcome });
        refusePage(response, 403, outcome === 'already-used' ? 'launchUsed' : 'launchInvalid');
        return;
      }
      if (outcome === 'accepted') {
        options.logger.info('launch token exchanged for a session');
      }
      response.writeHead(303, {
        ...securityHeaders,
        ...(outcome === 'accepted'
          ? { 'Set-Cookie': `${sessionCookieName(port)}=${sessionToken}; HttpOnly; SameSite=Strict; Path=/` }
          : {}),
        Location: url.pathname,
      });
      response.end();
      return;
    }
    if (!hasSession(request)) {
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
    // Node hands over an upgrade socket with no 'error' listener: a client resetting the connection while it is
    // refused (or mid-handshake) would otherwise throw ECONNRESET and end the whole shell.
    const onSocketError = (error: Error) => {
      options.logger.warn('websocket handshake socket failed', { error: error.message });
      socket.destroy();
    };
    socket.on('error', onSocketError);
    const url = new URL(request.url ?? '/', origin);
    if (url.pathname !== '/ws') {
      rejectUpgrade(socket, 404, 'Not Found');
    } else if (!hostIsAllowed(request, port)) {
      rejectUpgrade(socket, 421, 'Misdirected Request');
    } else if (!originIsAllowed(request, origin)) {
      rejectUpgrade(socket, 403, 'Forbidden');
    } else if (!hasSession(request)) {
      rejectUpgrade(socket, 401, 'Unauthorized');
    } else {
      wss.handleUpgrade(request, socket, head, (ws) => {
        // From here the WebSocket handles its socket's errors (see serveWireConnection).
        socket.removeListener('error', onSocketError);
        wss.emit('connection', ws, request);
      });
    }
  });

  wss.on('connection', (ws: WebSocket) => {
    sockets.add(ws);
    ws.on('close', () => sockets.delete(ws));
    serveWireConnection(ws, {
      dispatch: (channel, payload) => options.runtime.dispatch(channel, payload),
      logger: options.logger,
    });
  });

  const unsubscribe = options.runtime.subscribe((event, payload) => {
    for (const ws of sockets) {
      sendReply(ws, { kind: 'event', event, payload });
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
    launchUrl: `${origin}/?t=${firstToken}`,
    newLaunchUrl: () => `${origin}/?t=${launchTokens.mint()}`,
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

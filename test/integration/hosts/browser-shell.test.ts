import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { request as playwrightRequest } from 'playwright-core';
import { WebSocket } from 'ws';
import { ensureBuilt, startTestShell } from '../../helpers/shell';
import type { RunningShell } from '../../helpers/shell';

type RawResponse = { status: number; headers: Record<string, string | string[] | undefined>; body: string };

/** A raw HTTP request so that Host, Origin and Cookie are exactly what the test says. */
function rawGet(port: number, path: string, headers: Record<string, string>, method = 'GET'): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => (body += chunk));
      res.on('end', () => {
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body });
      });
    });
    req.on('error', reject);
    req.end();
  });
}

/** Open a WebSocket with chosen headers; resolves with the handshake outcome. */
function openSocket(url: string, headers: Record<string, string>): Promise<{ socket?: WebSocket; status?: number }> {
  return new Promise((resolve) => {
    const socket = new WebSocket(url, { headers });
    socket.once('open', () => {
      resolve({ socket });
    });
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode });
    });
    socket.once('error', () => {
      resolve({ status: -1 });
    });
  });
}

const secret = 'test-secret-0123456789abcdefghijklmnopqrstuv';

describe('electron/hosts/browser server', () => {
  let running: RunningShell;
  let port: number;
  let host: string;
  let cookie: string;
  let sessionToken: string;
  let exchange: RawResponse;

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell({ secret });
    port = Number(new URL(running.shell.origin).port);
    host = `127.0.0.1:${port}`;
    exchange = await rawGet(port, `/?t=${secret}`, { Host: host });
    cookie = String(exchange.headers['set-cookie']?.[0]).split(';')[0] ?? '';
    sessionToken = cookie.split('=')[1] ?? '';
  });

  afterAll(async () => {
    await running.close();
  });

  it('swaps the launch token for an HttpOnly SameSite=Strict session cookie named after the port', () => {
    expect(exchange.status).toBe(303);
    expect(exchange.headers.location).toBe('/');
    expect(exchange.headers['set-cookie']?.[0]).toMatch(
      new RegExp(`^psc_session_${String(port)}=[A-Za-z0-9_-]{43}; HttpOnly; SameSite=Strict; Path=/$`),
    );
  });

  it('puts a session token in the cookie that is not the launch token', async () => {
    expect(sessionToken).not.toBe(secret);
    expect((await rawGet(port, '/', { Host: host, Cookie: `psc_session_${String(port)}=${secret}` })).status).toBe(401);
  });

  it('refuses the launch address a second time with a French page, and sets no cookie', async () => {
    const again = await rawGet(port, `/?t=${secret}`, { Host: host });

    expect(again.status).toBe(403);
    expect(again.headers['set-cookie']).toBeUndefined();
    expect(again.headers['content-type']).toContain('text/html');
    expect(again.body).toContain('Cette adresse a déjà servi : relancez l’assistant.');
    expect(again.body).not.toContain('<script');
  });

  it('sends a reopened launch address that carries the session cookie to the app, without a new cookie', async () => {
    const reopened = await rawGet(port, `/?t=${secret}`, { Host: host, Cookie: cookie });

    expect(reopened.status).toBe(303);
    expect(reopened.headers.location).toBe('/');
    expect(reopened.headers['set-cookie']).toBeUndefined();
  });

  it('mints fresh single-use launch addresses that open the same session', async () => {
    const fresh = new URL(running.shell.newLaunchUrl());
    const path = `${fresh.pathname}${fresh.search}`;

    const first = await rawGet(port, path, { Host: host });
    const second = await rawGet(port, path, { Host: host });

    expect(fresh.searchParams.get('t')).not.toBe(secret);
    expect(first.status).toBe(303);
    expect(String(first.headers['set-cookie']?.[0]).split(';')[0]).toBe(cookie);
    expect(second.status).toBe(403);
  });

  it('refuses the session token under another cookie name (a shell on another port, or the old shared name)', async () => {
    for (const name of ['psc_session', `psc_session_${String(port + 1)}`]) {
      const response = await rawGet(port, '/', { Host: host, Cookie: `${name}=${sessionToken}` });

      expect(response.status).toBe(401);
    }
  });

  it('refuses a page request without the secret', async () => {
    const response = await rawGet(port, '/', { Host: host });

    expect(response.status).toBe(401);
    expect(response.body).not.toContain('<script');
  });

  it('refuses a wrong launch token', async () => {
    const response = await rawGet(port, `/?t=${secret.slice(0, -1)}x`, { Host: host });

    expect(response.status).toBe(403);
    expect(response.headers['set-cookie']).toBeUndefined();
    expect(response.body).toContain('Adresse de lancement invalide');
  });

  it('refuses another Host even with the right cookie (DNS rebinding)', async () => {
    const response = await rawGet(port, '/', { Host: `evil.example:${port}`, Cookie: cookie });

    expect(response.status).toBe(421);
  });

  it('serves the app with a strict CSP and no CORS header', async () => {
    const response = await rawGet(port, '/', { Host: host, Cookie: cookie });

    expect(response.status).toBe(200);
    expect(response.body).toContain('<div id="root">');
    const csp = String(response.headers['content-security-policy']);
    expect(csp).toContain("script-src 'self'");
    expect(csp).not.toContain('unsafe-eval');
    expect(csp).not.toContain('unsafe-inline');
    expect(csp).not.toMatch(/https?:\/\/(?!127\.0\.0\.1)/);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
  });

  // dist/renderer/../../package.json is the repository's package.json. Node's http client sends these paths as
  // written, and the server's URL parser leaves %2f and %5c alone: only the static-file guard stands in the way.
  it.each([
    '/..%2f..%2fpackage.json',
    '/%2e%2e%2f%2e%2e%2fpackage.json',
    '/..%5c..%5cpackage.json',
    '/assets/..%2f..%2f..%2fpackage.json',
  ])('refuses %s, a path that escapes the renderer folder', async (path) => {
    const response = await rawGet(port, path, { Host: host, Cookie: cookie });

    expect(response.status).toBe(404);
    expect(response.body).not.toContain('"allowScripts"');
  });

  it.each(['POST', 'PUT', 'DELETE', 'OPTIONS'])('refuses the %s method with 405 and no CORS header', async (method) => {
    const response = await rawGet(port, '/', { Host: host, Cookie: cookie, Origin: 'http://evil.example' }, method);

    expect(response.status).toBe(405);
    expect(response.headers['access-control-allow-origin']).toBeUndefined();
    expect(response.body).not.toContain('<div id="root">');
  });

  it('refuses a WebSocket without the session cookie', async () => {
    const result = await openSocket(`ws://${host}/ws`, { Origin: `http://${host}` });

    expect(result.status).toBe(401);
  });

  it('refuses a WebSocket from another origin, even with the cookie', async () => {
    const result = await openSocket(`ws://${host}/ws`, { Origin: 'http://evil.example', Cookie: cookie });

    expect(result.status).toBe(403);
  });

  it('refuses a WebSocket that names another Host', async () => {
    const result = await openSocket(`ws://${host}/ws`, { Origin: `http://${host}`, Cookie: cookie, Host: 'localhost' });

    expect(result.status).toBe(421);
  });

  it('answers a contract call over an authenticated same-origin WebSocket', async () => {
    const { socket } = await openSocket(`ws://${host}/ws`, { Origin: `http://${host}`, Cookie: cookie });
    expect(socket).toBeDefined();

    const reply = await new Promise<unknown>((resolve) => {
      socket!.once('message', (data: Buffer) => {
        resolve(JSON.parse(data.toString()));
      });
      socket!.send(JSON.stringify({ kind: 'invoke', id: 7, channel: 'app:get-info' }));
    });
    socket!.close();

    expect(reply).toMatchObject({
      kind: 'result',
      id: 7,
      result: { ok: true, value: { mode: 'demo', host: 'browser' } },
    });
  });

  it('answers a malformed contract payload with contract.invalid-input', async () => {
    const { socket } = await openSocket(`ws://${host}/ws`, { Origin: `http://${host}`, Cookie: cookie });

    const reply = await new Promise<unknown>((resolve) => {
      socket!.once('message', (data: Buffer) => {
        resolve(JSON.parse(data.toString()));
      });
      socket!.send(JSON.stringify({ kind: 'invoke', id: 8, channel: 'settings:update', payload: { language: 'xx' } }));
    });
    socket!.close();

    expect(reply).toMatchObject({ id: 8, result: { ok: false, error: { code: 'contract.invalid-input' } } });
  });

  it('closes the socket on a message that is not a contract request', async () => {
    const { socket } = await openSocket(`ws://${host}/ws`, { Origin: `http://${host}`, Cookie: cookie });

    const code = await new Promise<number>((resolve) => {
      socket!.once('close', (closeCode: number) => {
        resolve(closeCode);
      });
      socket!.send('{"kind":"eval","code":"process.exit()"}');
    });

    expect(code).toBe(1008);
  });
});

// Browsers keep one cookie jar per host whatever the port, so two shells on 127.0.0.1 share it. Playwright's request
// context keeps cookies as a browser does; both shells must stay signed in after both launches.
describe('two browser shells on 127.0.0.1 at once', () => {
  let first: RunningShell;
  let second: RunningShell;

  beforeAll(async () => {
    ensureBuilt();
    first = await startTestShell({ conformance: false });
    second = await startTestShell({ conformance: false });
  });

  afterAll(async () => {
    await first.close();
    await second.close();
  });

  it('keeps each shell’s session when the second one is opened in the same browser', async () => {
    const browserLike = await playwrightRequest.newContext();
    try {
      expect((await browserLike.get(first.shell.launchUrl)).status()).toBe(200);
      expect((await browserLike.get(second.shell.launchUrl)).status()).toBe(200);

      const again = await browserLike.get(`${first.shell.origin}/`);
      const jar = (await browserLike.storageState()).cookies;

      expect(again.status()).toBe(200);
      expect(await again.text()).toContain('<div id="root">');
      expect((await browserLike.get(`${second.shell.origin}/`)).status()).toBe(200);
      expect(jar.map((cookie) => cookie.name).sort()).toEqual(
        [first, second].map((shell) => `psc_session_${new URL(shell.shell.origin).port}`).sort(),
      );
    } finally {
      await browserLike.dispose();
    }
  });
});

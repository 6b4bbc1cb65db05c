import { request } from 'node:http';
import { connect as connectTcp } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { WebSocket } from 'ws';
import { startBrowserShell } from '../../../electron/hosts/browser/server';
import type { BrowserShell } from '../../../electron/hosts/browser/server';
import type { AppRuntime } from '../../../electron/app/runtime';
import { createWebSocketBridge } from '../../../renderer/src/bridge/websocket-bridge';
import { MAX_CRL_IMPORT_BYTES, maxBase64Chars } from '../../../shared/contract/cards';
import { CSV_LIMITS } from '../../../shared/enrollment/csv';
import {
  maxInFlightBytesPerConnection,
  maxInFlightPerConnection,
  maxWireMessageBytes,
} from '../../../shared/contract/wire';
import { silentLogger } from '../../../shared/logging';
import { ensureBuilt, rendererDir, startTestShell } from '../../helpers/shell';
import type { RunningShell } from '../../helpers/shell';

/** Exchange a single-use launch URL for the session cookie, as the browser does on its first visit. */
function sessionCookie(launchUrl: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const url = new URL(launchUrl);
    const req = request(launchUrl, { headers: { Host: url.host } }, (res) => {
      res.resume();
      const cookie = res.headers['set-cookie']?.[0]?.split(';')[0];
      if (res.statusCode === 303 && cookie !== undefined) {
        resolve(cookie);
      } else {
        reject(new Error(`launch exchange answered ${String(res.statusCode)}`));
      }
    });
    req.on('error', reject);
    req.end();
  });
}

type Client = {
  socket: WebSocket;
  call(channel: string, payload?: unknown): Promise<{ ok: boolean; error?: { code: string } }>;
  closed: Promise<number>;
};

let nextId = 0;

/** An authenticated same-origin contract connection to `shell`. */
async function connect(shell: BrowserShell, cookie: string): Promise<Client> {
  const socket = new WebSocket(`${shell.origin.replace(/^http/, 'ws')}/ws`, {
    headers: { Origin: shell.origin, Cookie: cookie },
  });
  const closed = new Promise<number>((resolve) => socket.once('close', resolve));
  // A client write that races the server's close may fail; the close code is what the tests read.
  socket.on('error', () => undefined);
  await new Promise((resolve, reject) => {
    socket.once('open', resolve);
    socket.once('unexpected-response', () => {
      reject(new Error('handshake refused'));
    });
  });
  const pending = new Map<number, (result: { ok: boolean; error?: { code: string } }) => void>();
  socket.on('message', (data: Buffer) => {
    const reply = JSON.parse(data.toString('utf8')) as { kind: string; id: number; result: { ok: boolean } };
    if (reply.kind === 'result') {
      pending.get(reply.id)?.(reply.result);
      pending.delete(reply.id);
    }
  });
  return {
    socket,
    closed,
    call(channel, payload) {
      nextId += 1;
      const id = nextId;
      return new Promise((resolve) => {
        pending.set(id, resolve);
        socket.send(JSON.stringify({ kind: 'invoke', id, channel, ...(payload === undefined ? {} : { payload }) }));
      });
    },
  };
}

/** `bulk:preview` of a pasted CSV. */
const csvPreview = (csvText: string) => ({ source: { kind: 'csv-text', csvText, fileName: 'lot.csv', baseDir: null } });

/** Wire-level failures: the message never reached a handler. */
const wireErrors = ['contract.too-large', 'contract.disconnected', 'contract.invalid-message', 'contract.busy'];

describe('browser shell wire limits', () => {
  let running: RunningShell;
  let cookie: string;

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell({ conformance: false });
    cookie = await sessionCookie(running.shell.launchUrl);
  });

  afterAll(async () => {
    await running.close();
  });

  it('closes only the socket that sent a message over the limit (1009); the shell keeps answering', async () => {
    const offender = await connect(running.shell, cookie);
    const bystander = await connect(running.shell, cookie);

    offender.socket.send(Buffer.alloc(maxWireMessageBytes + 1, 0x20).toString('utf8'));

    expect(await offender.closed).toBe(1009);
    expect(await bystander.call('app:get-info')).toMatchObject({ ok: true });
    const reconnected = await connect(running.shell, cookie);
    expect(await reconnected.call('app:get-info')).toMatchObject({ ok: true });
    bystander.socket.close();
    reconnected.socket.close();
  });

  it('survives clients that reset the connection while their handshake is refused', async () => {
    const port = Number(new URL(running.shell.origin).port);
    const handshake = [
      'GET /ws HTTP/1.1',
      `Host: 127.0.0.1:${String(port)}`,
      'Upgrade: websocket',
      'Connection: Upgrade',
      'Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==',
      'Sec-WebSocket-Version: 13',
      `Origin: ${running.shell.origin}`,
      '',
      '',
    ].join('\r\n');
    for (let attempt = 0; attempt < 10; attempt += 1) {
      await new Promise<void>((resolve) => {
        const client = connectTcp(port, '127.0.0.1', () => {
          client.write(handshake);
        });
        // The refusal (401: no cookie) arrives; reset instead of closing politely.
        client.once('data', () => {
          client.resetAndDestroy();
          resolve();
        });
        client.on('error', () => undefined);
      });
    }
    const client = await connect(running.shell, cookie);

    expect(await client.call('app:get-info')).toMatchObject({ ok: true });
    client.socket.close();
  });

  // The audit's case: 1,000 rows with an inline base64 certificate each (about 1.2 MB) killed the shell.
  it('answers a pasted 1,000-row CSV with inline base64 certificates', async () => {
    const client = await connect(running.shell, cookie);
    const cert = `MII${'A'.repeat(1200)}`;
    const rows = Array.from({ length: 1000 }, (_, i) => `u${String(i)}@clinique-demo.fr;${cert}`);

    const result = await client.call('bulk:preview', csvPreview(`user;certificate\n${rows.join('\n')}`));

    expect(wireErrors).not.toContain(result.error?.code);
    client.socket.close();
  });

  // JSON escapes a control character as \u00XX: 6 bytes per character, the worst case the limit is sized for.
  it.each([
    ['accented letters (2 bytes each)', 'é'],
    ['control characters (6 bytes each once escaped)', '\u0001'],
  ])('answers the largest contract-valid CSV text, made of %s', async (_label, unit) => {
    const client = await connect(running.shell, cookie);

    const result = await client.call('bulk:preview', csvPreview(unit.repeat(CSV_LIMITS.maxChars)));

    expect(wireErrors).not.toContain(result.error?.code);
    expect(client.socket.readyState).toBe(WebSocket.OPEN);
    client.socket.close();
  });

  it('answers the largest contract-valid CRL import (8 MiB file, base64)', async () => {
    const client = await connect(running.shell, cookie);

    const result = await client.call('trust:import-crl', {
      fileName: 'igc-sante.crl',
      contentBase64: 'A'.repeat(maxBase64Chars(MAX_CRL_IMPORT_BYTES)),
    });

    expect(wireErrors).not.toContain(result.error?.code);
    expect(result.error?.code).toMatch(/^trust\./);
    client.socket.close();
  });

  it('the renderer bridge refuses a message over the limit with contract.too-large, and the connection goes on', async () => {
    const bridge = createWebSocketBridge(`${running.shell.origin.replace(/^http/, 'ws')}/ws`, {
      reconnectDelayMs: 10,
      createSocket: (address) =>
        new WebSocket(address, {
          headers: { Origin: running.shell.origin, Cookie: cookie },
        }),
    });

    const refused = await bridge.invoke('bulk:preview', csvPreview('x'.repeat(maxWireMessageBytes)));
    const after = await bridge.invoke('app:get-info', undefined);

    expect(refused).toMatchObject({ ok: false, error: { code: 'contract.too-large' } });
    expect(after).toMatchObject({ ok: true });
  });
});

/** The shell's runtime with calls held until `release()`, counting those that reached the dispatcher. */
function heldRuntime(runtime: AppRuntime) {
  let release: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    release = resolve;
  });
  const reached: string[] = [];
  const held: AppRuntime = {
    ...runtime,
    dispatch: async (channel, payload) => {
      reached.push(String(channel));
      await gate;
      return runtime.dispatch(channel, payload);
    },
  };
  return {
    runtime: held,
    reached,
    release: () => {
      release();
    },
  };
}

describe('browser shell in-flight limits per connection', () => {
  let running: RunningShell;
  let held: ReturnType<typeof heldRuntime>;
  let shell: BrowserShell;
  let cookie: string;

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell({ conformance: false });
    held = heldRuntime(running.runtime);
    shell = await startBrowserShell({ runtime: held.runtime, rendererDir, logger: silentLogger });
    cookie = await sessionCookie(shell.launchUrl);
  });

  afterAll(async () => {
    held.release();
    await shell.close();
    await running.close();
  });

  it(`refuses calls over ${String(maxInFlightPerConnection)} in flight with contract.busy, without running them`, async () => {
    const client = await connect(shell, cookie);
    const extra = 5;

    const calls = Array.from({ length: maxInFlightPerConnection + extra }, () => client.call('app:get-info'));
    const busy = await Promise.all(calls.slice(maxInFlightPerConnection));
    const other = await connect(shell, cookie);
    const otherCall = other.call('app:get-info');
    await expect.poll(() => held.reached.length).toBe(maxInFlightPerConnection + 1);
    held.release();
    const admitted = await Promise.all(calls.slice(0, maxInFlightPerConnection));
    const afterwards = await client.call('app:get-info');

    expect(busy.map((result) => result.error?.code)).toEqual(Array(extra).fill('contract.busy'));
    expect(admitted.every((result) => result.ok)).toBe(true);
    expect(await otherCall).toMatchObject({ ok: true });
    expect(afterwards).toMatchObject({ ok: true });
    expect(held.reached.length).toBe(maxInFlightPerConnection + 2);
    client.socket.close();
    other.socket.close();
  });
});

describe('browser shell in-flight bytes per connection', () => {
  let running: RunningShell;
  let held: ReturnType<typeof heldRuntime>;
  let shell: BrowserShell;
  let cookie: string;

  beforeAll(async () => {
    ensureBuilt();
    running = await startTestShell({ conformance: false });
    held = heldRuntime(running.runtime);
    shell = await startBrowserShell({ runtime: held.runtime, rendererDir, logger: silentLogger });
    cookie = await sessionCookie(shell.launchUrl);
  });

  afterAll(async () => {
    held.release();
    await shell.close();
    await running.close();
  });

  it('refuses a large call with contract.busy once the large calls in flight would pass the byte budget', async () => {
    const client = await connect(shell, cookie);
    const share = Math.ceil(maxInFlightBytesPerConnection / 3) + 1;
    const big = csvPreview('x'.repeat(share));

    const calls = [client.call('bulk:preview', big), client.call('bulk:preview', big)];
    const third = await client.call('bulk:preview', big);
    held.release();
    const firstTwo = await Promise.all(calls);

    expect(third.error?.code).toBe('contract.busy');
    expect(firstTwo.map((result) => result.error?.code)).not.toContain('contract.busy');
    expect(held.reached).toEqual(['bulk:preview', 'bulk:preview']);
    client.socket.close();
  });
});

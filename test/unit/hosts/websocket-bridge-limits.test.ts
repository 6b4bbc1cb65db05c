import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import { createWebSocketBridge } from '../../../renderer/src/bridge/websocket-bridge';
import { maxWireMessageBytes } from '../../../shared/contract/wire';

/**
 * A real `ws` server shaped like the shell's wire: it answers `{ ok: true, value: channel }`, refuses messages over
 * `maxPayload` (close 1009, as `ws` does) and closes 1008 on a channel named `refuse`.
 */
let server: WebSocketServer;
let url: string;
let received: string[];
let connections: number;

beforeEach(async () => {
  received = [];
  connections = 0;
  await new Promise<void>((resolve) => {
    server = new WebSocketServer({ host: '127.0.0.1', port: 0, maxPayload: 1024 }, resolve);
  });
  url = `ws://127.0.0.1:${String((server.address() as AddressInfo).port)}/ws`;
  server.on('connection', (socket) => {
    connections += 1;
    socket.on('error', () => undefined);
    socket.on('message', (data: Buffer) => {
      const request = JSON.parse(data.toString('utf8')) as { id: number; channel: string };
      received.push(request.channel);
      if (request.channel === 'refuse') {
        socket.close(1008, 'contract.invalid-message');
        return;
      }
      socket.send(JSON.stringify({ kind: 'result', id: request.id, result: { ok: true, value: request.channel } }));
    });
  });
});

afterEach(async () => {
  for (const client of server.clients) {
    client.terminate();
  }
  await new Promise((resolve) => {
    server.close(resolve);
  });
});

const bridgeOn = () =>
  createWebSocketBridge(url, { reconnectDelayMs: 5, createSocket: (address) => new WebSocket(address) });

describe('renderer/src/bridge/websocket-bridge wire limits', () => {
  it.each([
    ['a message the host refuses for its size (close 1009)', 'big', 'x'.repeat(4096), 'contract.too-large'],
    ['a message the host cannot read (close 1008)', 'refuse', undefined, 'contract.invalid-message'],
  ])('turns %s into a typed error, then reconnects for the next call', async (_label, channel, payload, code) => {
    const bridge = bridgeOn();

    const refused = await bridge.invoke(channel, payload);
    const next = await bridge.invoke('app:get-info', undefined);

    expect(refused).toMatchObject({ ok: false, error: { code, messageKey: `errors.${code}` } });
    expect(next).toEqual({ ok: true, value: 'app:get-info' });
    expect(connections).toBe(2);
  });

  it('refuses a call over the wire limit without sending it, and keeps its connection', async () => {
    const bridge = bridgeOn();
    await bridge.invoke('first', undefined);

    const refused = await bridge.invoke('bulk:preview', { csvText: 'é'.repeat(Math.ceil(maxWireMessageBytes / 2)) });
    const next = await bridge.invoke('app:get-info', undefined);

    expect(refused).toMatchObject({
      ok: false,
      error: { code: 'contract.too-large', details: { channel: 'bulk:preview', limitBytes: maxWireMessageBytes } },
    });
    expect(received).toEqual(['first', 'app:get-info']);
    expect(next).toEqual({ ok: true, value: 'app:get-info' });
    expect(connections).toBe(1);
  });
});

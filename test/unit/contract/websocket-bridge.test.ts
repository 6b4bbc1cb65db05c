import type { AddressInfo } from 'node:net';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { WebSocket, WebSocketServer } from 'ws';
import type { WebSocket as ServerSocket } from 'ws';
import { createWebSocketBridge, defaultTimeoutMs } from '../../../renderer/src/bridge/websocket-bridge';
import type { BridgeSocket } from '../../../renderer/src/bridge/websocket-bridge';

type Behaviour = (socket: ServerSocket, request: { id: number; channel: string; payload?: unknown }) => void;

/** A real WebSocket server on loopback whose answers each test scripts; the bridge uses the `ws` client. */
let server: WebSocketServer;
let url: string;
let behaviour: Behaviour;
let connections = 0;
const serverSockets: ServerSocket[] = [];

function startServer(port = 0): Promise<void> {
  return new Promise((resolve) => {
    server = new WebSocketServer({ host: '127.0.0.1', port }, () => {
      url = `ws://127.0.0.1:${String((server.address() as AddressInfo).port)}/ws`;
      resolve();
    });
    server.on('connection', (socket) => {
      connections += 1;
      serverSockets.push(socket);
      socket.on('message', (data: Buffer) => {
        behaviour(socket, JSON.parse(data.toString('utf8')) as { id: number; channel: string });
      });
    });
  });
}

function stopServer(): Promise<void> {
  for (const socket of serverSockets.splice(0)) {
    socket.terminate();
  }
  return new Promise((resolve) => {
    server.close(() => {
      resolve();
    });
  });
}

const answer: Behaviour = (socket, request) => {
  socket.send(JSON.stringify({ kind: 'result', id: request.id, result: { ok: true, value: request.channel } }));
};

const wsClient = (address: string) => new WebSocket(address) as unknown as BridgeSocket;

beforeEach(async () => {
  connections = 0;
  behaviour = answer;
  await startServer();
});

afterEach(async () => {
  await stopServer();
});

describe('renderer/src/bridge/websocket-bridge', () => {
  it('sends a call and resolves with its reply', async () => {
    const bridge = createWebSocketBridge(url, { createSocket: wsClient });

    await expect(bridge.invoke('app:get-info', undefined)).resolves.toEqual({ ok: true, value: 'app:get-info' });
  });

  it.each([
    ['text that is not JSON', 'not json {'],
    ['JSON off the wire schema', JSON.stringify({ kind: 'result', id: 'one', result: {} })],
    ['a reply to an unknown call', JSON.stringify({ kind: 'result', id: 999, result: { ok: true, value: 1 } })],
  ])('ignores %s and still answers the call that follows', async (_label, junk) => {
    behaviour = (socket, request) => {
      socket.send(junk);
      answer(socket, request);
    };
    const bridge = createWebSocketBridge(url, { createSocket: wsClient });

    await expect(bridge.invoke('settings:get', undefined)).resolves.toEqual({ ok: true, value: 'settings:get' });
  });

  it('fails a call the host never answers with contract.timeout, and ignores the late reply', async () => {
    let late: ServerSocket | undefined;
    let lateId = 0;
    behaviour = (socket, request) => {
      if (request.channel === 'cards:read') {
        late = socket;
        lateId = request.id;
        return; // silent host
      }
      answer(socket, request);
    };
    const bridge = createWebSocketBridge(url, { createSocket: wsClient, timeoutMs: () => 50 });

    const reply = await bridge.invoke('cards:read', { reader: 'A' });
    late?.send(JSON.stringify({ kind: 'result', id: lateId, result: { ok: true, value: 'late' } }));

    expect(reply).toEqual({
      ok: false,
      error: { code: 'contract.timeout', messageKey: 'errors.contract.timeout', details: { channel: 'cards:read' } },
    });
    await expect(bridge.invoke('settings:get', undefined)).resolves.toEqual({ ok: true, value: 'settings:get' });
  });

  it('gives channels that wait on a person a longer deadline', () => {
    expect(defaultTimeoutMs('account:sign-in')).toBeGreaterThan(defaultTimeoutMs('settings:get'));
  });

  it('resolves pending calls with contract.disconnected when the socket drops, then reconnects', async () => {
    behaviour = (socket, request) => {
      if (request.channel === 'cards:read') {
        socket.terminate();
        return;
      }
      answer(socket, request);
    };
    const bridge = createWebSocketBridge(url, { createSocket: wsClient, reconnectDelayMs: 10 });

    const dropped = await bridge.invoke('cards:read', { reader: 'A' });
    const after = await bridge.invoke('settings:get', undefined);

    expect(dropped).toMatchObject({ ok: false, error: { code: 'contract.disconnected' } });
    expect(after).toEqual({ ok: true, value: 'settings:get' });
    expect(connections).toBe(2);
  });

  it('reconnects in the background for event listeners after a drop', async () => {
    const bridge = createWebSocketBridge(url, { createSocket: wsClient, reconnectDelayMs: 10 });
    const received: unknown[] = [];
    bridge.on('settings:changed', (payload) => received.push(payload));
    await bridge.invoke('app:get-info', undefined);

    const reconnected = new Promise<ServerSocket>((resolve) => {
      server.once('connection', resolve);
    });
    serverSockets[0]?.terminate();
    const socket = await reconnected;
    socket.send(JSON.stringify({ kind: 'event', event: 'settings:changed', payload: { language: 'en' } }));
    await bridge.invoke('app:get-info', undefined);

    expect(received).toEqual([{ language: 'en' }]);
  });

  it('answers contract.disconnected after bounded attempts when the host is gone', async () => {
    await stopServer();
    const bridge = createWebSocketBridge(url, { createSocket: wsClient, maxReconnectAttempts: 2, reconnectDelayMs: 5 });

    await expect(bridge.invoke('app:get-info', undefined)).resolves.toMatchObject({
      ok: false,
      error: { code: 'contract.disconnected', messageKey: 'errors.contract.disconnected' },
    });
    await startServer();
  });

  it('delivers events to their listeners only, until unsubscribed', async () => {
    const bridge = createWebSocketBridge(url, { createSocket: wsClient });
    const received: unknown[] = [];
    const off = bridge.on('cards:reader-changed', (payload) => received.push(payload));
    await bridge.invoke('app:get-info', undefined);
    const [socket] = serverSockets;

    socket?.send(JSON.stringify({ kind: 'event', event: 'cards:reader-changed', payload: 1 }));
    socket?.send(JSON.stringify({ kind: 'event', event: 'settings:changed', payload: 2 }));
    await bridge.invoke('app:get-info', undefined);
    off();
    socket?.send(JSON.stringify({ kind: 'event', event: 'cards:reader-changed', payload: 3 }));
    await bridge.invoke('app:get-info', undefined);

    expect(received).toEqual([1]);
  });
});

import type { Bridge } from '../../../shared/contract/client';
import { contractErrorCodes, errorResult } from '../../../shared/contract/envelope';
import { maxWireMessageBytes, wireReplySchema } from '../../../shared/contract/wire';

/** The part of the DOM `WebSocket` the bridge uses (the `ws` package's client has the same shape, for tests). */
export type BridgeSocket = {
  readonly readyState: number;
  send(data: string): void;
  close(): void;
  addEventListener(type: 'open' | 'error', listener: () => void): void;
  addEventListener(type: 'close', listener: (event: { code: number }) => void): void;
  addEventListener(type: 'message', listener: (message: { data: unknown }) => void): void;
};

/** Tuning of the bridge; tests shorten the delays. */
export type WebSocketBridgeOptions = {
  /** How long a call may wait for its reply before it fails with `contract.timeout`. */
  timeoutMs?: (channel: string) => number;
  /** Reconnection attempts after the socket drops (or fails to open) before calls fail with `contract.disconnected`. */
  maxReconnectAttempts?: number;
  /** First reconnection delay; doubled at each attempt. */
  reconnectDelayMs?: number;
  createSocket?: (url: string) => BridgeSocket;
};

const openState = 1;

/** Channels that wait on a person (sign-in in the system browser) or on many Graph writes. */
const slowChannels: Readonly<Record<string, number>> = {
  'account:sign-in': 10 * 60_000,
  'account:request-scopes': 10 * 60_000,
  'enrollment:apply': 5 * 60_000,
  'enrollment:remove': 5 * 60_000,
  'enrollment:replay': 5 * 60_000,
  'trust:update-crls': 5 * 60_000,
};

/** Default reply deadline: one minute, longer for the channels above. */
export function defaultTimeoutMs(channel: string): number {
  return slowChannels[channel] ?? 60_000;
}

const disconnected = () => errorResult(contractErrorCodes.disconnected, 'errors.contract.disconnected');
const tooLarge = (channel: string) =>
  errorResult(contractErrorCodes.tooLarge, 'errors.contract.too-large', { channel, limitBytes: maxWireMessageBytes });

/** WebSocket close codes the shell ends a connection with on a bad message (RFC 6455 §7.4.1). */
const closeCodes = { policyViolation: 1008, messageTooBig: 1009 } as const;

/** What the calls pending on a socket get when the host closed it with `code`. */
function lostCallResult(code: number, channel: string) {
  if (code === closeCodes.messageTooBig) {
    return tooLarge(channel);
  }
  if (code === closeCodes.policyViolation) {
    return errorResult(contractErrorCodes.invalidMessage, 'errors.contract.invalid-message');
  }
  return disconnected();
}

const encoder = new TextEncoder();

type Pending = { channel: string; resolve: (value: unknown) => void; timer: ReturnType<typeof setTimeout> };

/**
 * Bridge for the browser shell: the contract over a same-origin WebSocket. The session cookie set by the shell
 * authenticates the handshake; no secret is visible to scripts.
 *
 * Never hangs and never throws: a reply that is not JSON or off the wire schema is dropped, a call without reply in
 * time resolves `contract.timeout`, and a dropped socket resolves pending calls `contract.disconnected` and is
 * reopened (bounded attempts with backoff) for later calls and for event listeners. A message over the wire limit is
 * refused here (`contract.too-large`) without being sent; if the host still closes the socket on one (close code
 * 1009, or 1008 for a message it could not read), pending calls resolve `contract.too-large` /
 * `contract.invalid-message` and the bridge reconnects.
 */
export function createWebSocketBridge(url: string, options: WebSocketBridgeOptions = {}): Bridge {
  const timeoutMs = options.timeoutMs ?? defaultTimeoutMs;
  const maxAttempts = options.maxReconnectAttempts ?? 5;
  const baseDelay = options.reconnectDelayMs ?? 500;
  const createSocket: (address: string) => BridgeSocket =
    options.createSocket ?? ((address: string) => new WebSocket(address));
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  /** The open socket, if any; only one exists at a time. */
  let socket: BridgeSocket | undefined;
  /** The single connection loop in flight, shared by every caller. */
  let connecting: Promise<BridgeSocket | undefined> | undefined;

  const settle = (id: number, value: unknown) => {
    const entry = pending.get(id);
    if (entry !== undefined) {
      pending.delete(id);
      clearTimeout(entry.timer);
      entry.resolve(value);
    }
  };

  const onMessage = (message: { data: unknown }) => {
    if (typeof message.data !== 'string') {
      return;
    }
    let json: unknown;
    try {
      json = JSON.parse(message.data);
    } catch {
      return; // Not JSON: not from our host's wire protocol.
    }
    const reply = wireReplySchema.safeParse(json);
    if (!reply.success) {
      return;
    }
    if (reply.data.kind === 'result') {
      settle(reply.data.id, reply.data.result);
    } else {
      const { event, payload } = reply.data;
      listeners.get(event)?.forEach((listener) => {
        listener(payload);
      });
    }
  };

  /** Open one socket; resolves it once open, or undefined if it closes first. */
  const open = (): Promise<BridgeSocket | undefined> =>
    new Promise((resolve) => {
      const candidate = createSocket(url);
      let wasOpen = false;
      candidate.addEventListener('open', () => {
        wasOpen = true;
        resolve(candidate);
      });
      candidate.addEventListener('message', onMessage);
      // A failed connection fires 'error' then 'close': 'close' does the handling.
      candidate.addEventListener('error', () => undefined);
      candidate.addEventListener('close', (event) => {
        resolve(undefined);
        if (socket !== candidate) {
          return;
        }
        socket = undefined;
        // Every pending call was sent on this socket: none will get its reply.
        [...pending.entries()].forEach(([id, entry]) => {
          settle(id, lostCallResult(event.code, entry.channel));
        });
        const refusedMessage = event.code === closeCodes.messageTooBig || event.code === closeCodes.policyViolation;
        if (wasOpen && (listeners.size > 0 || refusedMessage)) {
          // Event listeners need a socket even when no call is made, and the host is up after refusing one message:
          // reconnect in the background.
          void connected();
        }
      });
    });

  /** The open socket, (re)connecting with bounded attempts and doubling delays; undefined when all failed. */
  const connected = (): Promise<BridgeSocket | undefined> => {
    if (socket?.readyState === openState) {
      return Promise.resolve(socket);
    }
    connecting ??= (async () => {
      for (let attempt = 0; attempt <= maxAttempts; attempt += 1) {
        const candidate = await open();
        if (candidate?.readyState === openState) {
          socket = candidate;
          return candidate;
        }
        if (attempt < maxAttempts) {
          await new Promise((resolve) => setTimeout(resolve, baseDelay * 2 ** attempt));
        }
      }
      return undefined;
    })().finally(() => {
      connecting = undefined;
    });
    return connecting;
  };

  void connected();

  return {
    async invoke(channel, payload) {
      const id = nextId++;
      const message = JSON.stringify({ kind: 'invoke', id, channel, payload });
      // UTF-16 length × 3 bounds the UTF-8 size: only encode when the message could be near the limit.
      if (message.length * 3 > maxWireMessageBytes && encoder.encode(message).length > maxWireMessageBytes) {
        return tooLarge(channel);
      }
      const socket = await connected();
      if (socket === undefined) {
        return disconnected();
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          settle(id, errorResult(contractErrorCodes.timeout, 'errors.contract.timeout', { channel }));
        }, timeoutMs(channel));
        pending.set(id, { channel, resolve, timer });
        socket.send(message);
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => {
        set.delete(listener);
        if (set.size === 0) {
          listeners.delete(event);
        }
      };
    },
  };
}

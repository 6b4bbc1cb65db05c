import type { Bridge } from '../../../shared/contract/client';
import { contractErrorCodes } from '../../../shared/contract/envelope';
import { wireReplySchema } from '../../../shared/contract/wire';

type Pending = { resolve: (value: unknown) => void };

/**
 * Bridge for the browser shell: the contract over a same-origin WebSocket. The session cookie set by the shell
 * authenticates the handshake; no secret is visible to scripts.
 */
export function createWebSocketBridge(url: string): Bridge {
  const listeners = new Map<string, Set<(payload: unknown) => void>>();
  const pending = new Map<number, Pending>();
  let nextId = 1;
  const socket = new WebSocket(url);
  const opened = new Promise<boolean>((resolve) => {
    socket.addEventListener('open', () => {
      resolve(true);
    });
    socket.addEventListener('close', () => {
      resolve(false);
    });
  });

  socket.addEventListener('message', (message: MessageEvent<unknown>) => {
    if (typeof message.data !== 'string') {
      return;
    }
    const reply = wireReplySchema.safeParse(JSON.parse(message.data));
    if (!reply.success) {
      return;
    }
    if (reply.data.kind === 'result') {
      pending.get(reply.data.id)?.resolve(reply.data.result);
      pending.delete(reply.data.id);
    } else {
      const { event, payload } = reply.data;
      listeners.get(event)?.forEach((listener) => {
        listener(payload);
      });
    }
  });

  socket.addEventListener('close', () => {
    const disconnected = {
      ok: false,
      error: { code: contractErrorCodes.disconnected, messageKey: 'errors.contract.disconnected' },
    };
    pending.forEach((entry) => {
      entry.resolve(disconnected);
    });
    pending.clear();
  });

  return {
    async invoke(channel, payload) {
      const isOpen = await opened;
      if (!isOpen || socket.readyState !== WebSocket.OPEN) {
        return {
          ok: false,
          error: { code: contractErrorCodes.disconnected, messageKey: 'errors.contract.disconnected' },
        };
      }
      const id = nextId++;
      return new Promise((resolve) => {
        pending.set(id, { resolve });
        socket.send(JSON.stringify({ kind: 'invoke', id, channel, payload }));
      });
    },
    on(event, listener) {
      const set = listeners.get(event) ?? new Set();
      set.add(listener);
      listeners.set(event, set);
      return () => set.delete(listener);
    },
  };
}

import type { WebSocket } from 'ws';
import { contractErrorCodes, errorResult } from '../../../shared/contract/envelope';
import type { Result } from '../../../shared/contract/envelope';
import {
  maxInFlightBytesPerConnection,
  maxInFlightPerConnection,
  wireRequestSchema,
} from '../../../shared/contract/wire';
import type { WireReply } from '../../../shared/contract/wire';
import type { Logger } from '../../../shared/logging';

/** What a connection needs: the contract dispatcher and a logger. */
export type WireConnectionDeps = {
  dispatch(channel: string, payload: unknown): Promise<Result<unknown>>;
  logger: Logger;
};

/** How long a socket that failed (oversized frame…) gets to finish its closing handshake before it is cut. */
const closeGraceMs = 1000;

/** Send one reply if the socket is still open. */
export function sendReply(ws: WebSocket, reply: WireReply): void {
  if (ws.readyState === ws.OPEN) {
    ws.send(JSON.stringify(reply));
  }
}

/**
 * Serve the contract on one authenticated WebSocket: parse and validate each message, dispatch it, answer by id.
 *
 * Bounded per connection: at most `maxInFlightPerConnection` calls (and `maxInFlightBytesPerConnection` bytes of
 * requests) run at once; the next ones are answered `contract.busy` without running. A socket-level failure (a
 * frame over `maxPayload`, which `ws` answers with close 1009, or a protocol error) only ends this socket: without
 * an 'error' listener `ws` would throw it and take the whole shell down.
 */
export function serveWireConnection(ws: WebSocket, deps: WireConnectionDeps): void {
  let inFlight = 0;
  let inFlightBytes = 0;

  ws.on('error', (error) => {
    deps.logger.warn('websocket connection failed', { error: error.message });
    // `ws` has already sent the close frame (1009 for an oversized message); let it reach the client, then cut.
    const timer = setTimeout(() => {
      ws.terminate();
    }, closeGraceMs);
    timer.unref();
    ws.once('close', () => {
      clearTimeout(timer);
    });
  });

  const handle = async (text: string | undefined, bytes: number) => {
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
    const { id, channel, payload } = request.data;
    if (
      inFlight >= maxInFlightPerConnection ||
      (inFlight > 0 && inFlightBytes + bytes > maxInFlightBytesPerConnection)
    ) {
      sendReply(ws, {
        kind: 'result',
        id,
        result: errorResult(contractErrorCodes.busy, 'errors.contract.busy', {
          channel,
          limit: maxInFlightPerConnection,
        }),
      });
      return;
    }
    inFlight += 1;
    inFlightBytes += bytes;
    try {
      const result = await deps
        .dispatch(channel, payload)
        .catch(() => errorResult(contractErrorCodes.internal, 'errors.internal'));
      sendReply(ws, { kind: 'result', id, result });
    } finally {
      inFlight -= 1;
      inFlightBytes -= bytes;
    }
  };

  ws.on('message', (data, isBinary) => {
    const text = isBinary || !Buffer.isBuffer(data) ? undefined : data.toString('utf8');
    void handle(text, Buffer.isBuffer(data) ? data.length : 0);
  });
}

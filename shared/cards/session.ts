/**
 * The APDU session: one place that talks to the transport and enforces the T=0 rules and the bounds.
 *
 * - `61xx` → GET RESPONSE `00 C0 00 00 xx` (chained, bounded), `6Cxx` → resend with Le=xx (once).
 * - Every transmit is counted against `maxApdus` and raced against the abort signal: a card (or reader) that never
 *   answers cannot hold the read past its timeout.
 * - VERIFY and friends can never be sent: the reader must not touch the PIN state.
 */
import { AppError } from '../errors';
import type { ApduTransport } from './transport';
import { buildGetResponse, FORBIDDEN_INS, parseResponse, type ResponseApdu } from './apdu';
import { cardError, protocolError } from './errors';

/** Longest GET RESPONSE chain accepted for a single command. */
export const MAX_GET_RESPONSE_CHAIN = 16;

/** Largest response data accepted for a single command (after chaining). */
export const MAX_RESPONSE_BYTES = 4096;

/** Options of an APDU session. */
export type SessionOptions = { signal?: AbortSignal; maxApdus: number };

/** A counted, bounded exchange channel over an `ApduTransport`. */
export type ApduSession = {
  /** Send a command, resolving `61xx`/`6Cxx` procedures; returns data and the final status word. */
  exchange(command: Uint8Array, step: string): Promise<ResponseApdu>;
  /** Number of APDUs actually transmitted so far. */
  readonly count: number;
};

/** Create a session over a transport. */
export function createApduSession(transport: ApduTransport, options: SessionOptions): ApduSession {
  let count = 0;

  const checkAbort = (step: string): void => {
    if (options.signal?.aborted === true) {
      throw cardError('card.aborted', { step });
    }
  };

  /** Settles with the transmit, or rejects with `card.aborted` as soon as the signal fires (the transmit is left). */
  const raceAbort = <T>(pending: Promise<T>, step: string): Promise<T> => {
    const signal = options.signal;
    if (signal === undefined) {
      return pending;
    }
    return new Promise<T>((resolve, reject) => {
      const onAbort = () => {
        reject(cardError('card.aborted', { step }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      // A transmit that settles after the abort is ignored here (its rejection is handled, never unhandled).
      pending.then(
        (value) => {
          signal.removeEventListener('abort', onAbort);
          resolve(value);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error('Transport threw a non-Error value', { cause: error }));
        },
      );
    });
  };

  const transmitOnce = async (command: Uint8Array, step: string): Promise<ResponseApdu> => {
    checkAbort(step);
    if (FORBIDDEN_INS.includes(command[1] ?? -1)) {
      // A bug, not a card condition: the reader never builds such a command.
      throw new Error(`Refusing to send PIN-related INS ${String(command[1])}`);
    }
    if (count >= options.maxApdus) {
      throw protocolError(step, null, 'too-many-apdus');
    }
    count += 1;
    const raw = await raceAbort(transport.transmit(command), step);
    checkAbort(step);
    if (!(raw instanceof Uint8Array)) {
      throw protocolError(step, null, 'invalid-response');
    }
    const parsed = parseResponse(raw);
    if (parsed === null) {
      throw protocolError(step, null, 'short-response');
    }
    // A short APDU response carries at most 256 data bytes.
    if (parsed.data.length > 256) {
      throw protocolError(step, parsed.sw, 'oversized-response');
    }
    return parsed;
  };

  const exchange = async (command: Uint8Array, step: string): Promise<ResponseApdu> => {
    let response = await transmitOnce(command, step);
    if (response.sw >> 8 === 0x6c) {
      const lc = command.length > 5 ? (command[4] ?? 0) : 0;
      const bodyEnd = command.length > 5 ? 5 + lc : 4;
      response = await transmitOnce(Uint8Array.from([...command.slice(0, bodyEnd), response.sw & 0xff]), step);
      if (response.sw >> 8 === 0x6c) {
        throw protocolError(step, response.sw, 'wrong-le-loop');
      }
    }
    const chunks: Uint8Array[] = [response.data];
    let total = response.data.length;
    let chain = 0;
    while (response.sw >> 8 === 0x61) {
      chain += 1;
      if (chain > MAX_GET_RESPONSE_CHAIN) {
        throw protocolError(step, response.sw, 'get-response-chain');
      }
      // GET RESPONSE goes out on the same logical channel as the command that triggered it.
      response = await transmitOnce(buildGetResponse(response.sw & 0xff, (command[0] ?? 0) & 0x03), step);
      chunks.push(response.data);
      total += response.data.length;
      if (total > MAX_RESPONSE_BYTES) {
        throw protocolError(step, response.sw, 'oversized-response');
      }
    }
    if (chunks.length === 1) {
      return response;
    }
    const data = new Uint8Array(total);
    let offset = 0;
    for (const c of chunks) {
      data.set(c, offset);
      offset += c.length;
    }
    return { data, sw: response.sw };
  };

  return {
    exchange: async (command, step) => {
      try {
        return await exchange(command, step);
      } catch (error) {
        if (error instanceof AppError || error instanceof Error) {
          throw error;
        }
        // Transports should throw Errors; anything else is wrapped so callers always see an Error.
        throw new Error('Transport threw a non-Error value', { cause: error });
      }
    },
    get count() {
      return count;
    },
  };
}

/**
 * PC/SC backend over the winscard C API through koffi FFI (see `winscard-ffi.ts`). Unlike the node addon it holds a
 * PC/SC transaction around every read: SCardConnect(SHARED) → SCardBeginTransaction → APDUs →
 * SCardEndTransaction(LEAVE_CARD) → SCardDisconnect(LEAVE_CARD), so no other application can slip a command between
 * ours. Each read gets its own PC/SC context: pcsclite serialises calls per context (a blocked transaction or a
 * status wait would stall the others), and releasing the context frees everything even if a disconnect failed.
 *
 * Reader and card events come from a watch loop: SCardListReaders, then SCardGetStatusChange with a bounded timeout
 * (and pcsclite's PnP pseudo reader for hot-plug), on koffi's worker threads; `stop` wakes it with SCardCancel.
 */
import net from 'node:net';
import type { Logger } from '../../../shared/logging';
import type { BackendListener, CardConnection, ReaderBackend } from './backend';
import { classifyPcscError, serviceDownError, serviceError, translatePcscError } from './errors';
import type { ReaderState, ScardHandle, Winscard } from './winscard-ffi';
import { PNP_READER, pcscFailure, SCARD } from './winscard-ffi';

/** Options of the FFI backend. */
export type FfiBackendOptions = {
  readonly logger: Logger;
  readonly winscard: Winscard;
  readonly socketPath?: string;
  readonly platform?: NodeJS.Platform;
  /** Timeout of one SCardGetStatusChange wait (bounds how long a worker thread is held; default 2 s). */
  readonly pollTimeoutMs?: number;
};

type ReaderEntry = { state: number; present: boolean; events: number };
type OpenConnection = { context: ScardHandle; card: ScardHandle; closed: boolean };

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Resolves when something accepts connections on pcscd's socket (bounded by 1 s). */
export function probeSocket(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ path: socketPath });
    const done = (ok: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(ok);
    };
    const timer = setTimeout(() => {
      done(false);
    }, 1000);
    socket.once('connect', () => {
      done(true);
    });
    socket.once('error', () => {
      done(false);
    });
  });
}

/** Creates the FFI PC/SC backend over an already bound winscard. */
export function createFfiPcscBackend(options: FfiBackendOptions): ReaderBackend {
  const { logger, winscard: w } = options;
  const platform = options.platform ?? process.platform;
  const pollTimeoutMs = options.pollTimeoutMs ?? 2000;
  const readers = new Map<string, ReaderEntry>();
  const open = new Map<string, OpenConnection>();
  let monitor: { context: ScardHandle; loop: Promise<void> } | undefined;
  let stopping = false;
  // A function, not the variable: TypeScript would keep `stopping` narrowed across the awaits of the watch loop.
  const isStopping = () => stopping;

  const sync = (names: readonly string[], listener: BackendListener) => {
    for (const name of [...readers.keys()]) {
      if (!names.includes(name)) {
        readers.delete(name);
        listener.readerRemoved(name);
      }
    }
    for (const name of names) {
      if (!readers.has(name)) {
        readers.set(name, { state: SCARD.STATE_UNAWARE, present: false, events: -1 });
        listener.readerAdded(name);
      }
    }
  };

  const apply = (state: ReaderState, listener: BackendListener) => {
    const entry = readers.get(state.reader);
    if (!entry || (state.eventState & SCARD.STATE_CHANGED) === 0) {
      return;
    }
    const present = (state.eventState & SCARD.STATE_PRESENT) !== 0;
    // The high word counts insertions and removals: a change of count with a card present both times means the
    // card was swapped between two waits.
    const events = state.eventState >>> 16;
    const swapped = present && entry.present && entry.events >= 0 && events !== entry.events;
    entry.state = state.eventState & ~SCARD.STATE_CHANGED;
    entry.events = events;
    if (swapped || (!present && entry.present)) {
      entry.present = false;
      listener.cardRemoved(state.reader);
    }
    if (present && !entry.present && state.atr.length > 0) {
      entry.present = true;
      listener.cardInserted(state.reader, state.atr);
    }
  };

  /** The watch loop: ends on stop (SCardCancel) or when pcscd goes away. */
  const watch = async (context: ScardHandle, listener: BackendListener): Promise<void> => {
    // PnP notifications: pcsclite and Windows; macOS has no such pseudo reader (the timeout catches new readers).
    const pnp: ReaderState | undefined =
      platform === 'darwin' ? undefined : { reader: PNP_READER, currentState: 0, eventState: 0, atr: new Uint8Array() };
    let failures = 0;
    while (!stopping) {
      const listed = w.listReaders(context);
      if (listed.rv !== SCARD.S_SUCCESS && listed.rv !== SCARD.E_NO_READERS_AVAILABLE) {
        if (await failed('SCardListReaders', listed.rv, listener, ++failures)) {
          return;
        }
        continue;
      }
      sync(listed.readers, listener);
      const states: ReaderState[] = [...readers.entries()].map(([reader, entry]) => ({
        reader,
        currentState: entry.state,
        eventState: 0,
        atr: new Uint8Array(),
      }));
      if (pnp) {
        states.unshift(pnp);
      }
      const rv = await w.getStatusChange(context, pollTimeoutMs, states);
      if (isStopping() || rv === SCARD.E_CANCELLED) {
        return;
      }
      if (rv === SCARD.E_TIMEOUT) {
        failures = 0;
        continue;
      }
      if (rv !== SCARD.S_SUCCESS) {
        if (await failed('SCardGetStatusChange', rv, listener, ++failures)) {
          return;
        }
        continue;
      }
      failures = 0;
      if (pnp) {
        pnp.currentState = pnp.eventState & ~SCARD.STATE_CHANGED;
      }
      for (const state of states) {
        apply(state, listener);
      }
    }
  };

  /** Handles a failed watch call; true when the loop must end (pcscd gone). Spinning is bounded by a back-off. */
  const failed = async (call: string, rv: number, listener: BackendListener, count: number): Promise<boolean> => {
    const error = pcscFailure(call, rv);
    if (classifyPcscError(error) === 'service-down' || rv === 0x80100003 /* INVALID_HANDLE: pcscd restarted */) {
      if (!stopping) {
        logger.warn('pcsc watch ended', { call, rv: rv.toString(16) });
        listener.failed(serviceDownError(error, platform));
      }
      return true;
    }
    // A reader vanished between the list and the wait (UNKNOWN_READER, READER_UNAVAILABLE): list again.
    logger.debug('pcsc watch retry', { call, rv: rv.toString(16) });
    await sleep(Math.min(100 * count, 1000));
    return false;
  };

  const start = async (listener: BackendListener): Promise<void> => {
    stopping = false;
    if (platform === 'linux') {
      const socketPath = options.socketPath ?? process.env.PCSCLITE_CSOCK_NAME ?? '/run/pcscd/pcscd.comm';
      if (!(await probeSocket(socketPath))) {
        throw serviceDownError(new Error(`no pcscd on ${socketPath}`), platform);
      }
    }
    const established = w.establishContext();
    if (established.rv !== SCARD.S_SUCCESS) {
      throw serviceDownError(pcscFailure('SCardEstablishContext', established.rv), platform);
    }
    const context = established.context;
    // First events on the next turn: `start` resolves (the service is `ready`) before any reader is reported.
    const loop = sleep(0)
      .then(() => watch(context, listener))
      .catch((error: unknown) => {
        logger.error('pcsc watch loop crashed', { error: String(error) });
        if (!stopping) {
          listener.failed(serviceDownError(error, platform));
        }
      });
    monitor = { context, loop };
  };

  /** Frees a connection: end the transaction, disconnect, release the context; each step logged, none skipped. */
  const release = async (reader: string, connection: OpenConnection): Promise<void> => {
    if (connection.closed) {
      return;
    }
    connection.closed = true;
    const steps: [string, () => Promise<number> | number][] = [
      ['SCardEndTransaction', () => w.endTransaction(connection.card, SCARD.LEAVE_CARD)],
      ['SCardDisconnect', () => w.disconnect(connection.card, SCARD.LEAVE_CARD)],
      // Releasing the context also frees a handle whose disconnect failed: the next connect starts clean.
      ['SCardReleaseContext', () => w.releaseContext(connection.context)],
    ];
    for (const [call, step] of steps) {
      const rv = await step();
      if (rv !== SCARD.S_SUCCESS) {
        logger.debug('pcsc release step failed', { reader, call, rv: rv.toString(16) });
      }
    }
    if (open.get(reader) === connection) {
      open.delete(reader);
    }
  };

  const connect = async (name: string): Promise<CardConnection> => {
    if (!readers.has(name)) {
      throw serviceError('card.reader-unknown', { reader: name });
    }
    const stale = open.get(name);
    if (stale) {
      // A previous read's connection was never released (its close failed or was skipped): free it first.
      logger.warn('releasing a stale PC/SC connection before connecting', { reader: name });
      // Bounded: its end of transaction may wait behind a command the card never answered.
      await Promise.race([release(name, stale), sleep(1000)]);
    }
    const established = w.establishContext();
    if (established.rv !== SCARD.S_SUCCESS) {
      throw translatePcscError(pcscFailure('SCardEstablishContext', established.rv), name, platform);
    }
    const context = established.context;
    const connected = await w.connect(context, name, SCARD.SHARE_SHARED, SCARD.PROTOCOL_T0 | SCARD.PROTOCOL_T1);
    if (connected.rv !== SCARD.S_SUCCESS) {
      w.releaseContext(context);
      throw translatePcscError(pcscFailure('SCardConnect', connected.rv), name, platform);
    }
    const connection: OpenConnection = { context, card: connected.card, closed: false };
    open.set(name, connection);
    // One transaction per read: waits while another application holds one on this card.
    const began = await w.beginTransaction(connected.card);
    if (began !== SCARD.S_SUCCESS) {
      await release(name, connection);
      throw translatePcscError(pcscFailure('SCardBeginTransaction', began), name, platform);
    }
    const protocol = connected.protocol;
    return {
      protocol: protocol === SCARD.PROTOCOL_T1 ? 'T1' : 'T0',
      transport: {
        transmit: async (command) => {
          if (connection.closed) {
            throw serviceError('card.io', { reader: name, reason: 'connection closed' });
          }
          const result = await w.transmit(connection.card, protocol, command);
          if (result.rv !== SCARD.S_SUCCESS) {
            throw translatePcscError(pcscFailure('SCardTransmit', result.rv), name, platform);
          }
          return result.response;
        },
      },
      close: () => release(name, connection),
    };
  };

  const stop = async (): Promise<void> => {
    stopping = true;
    const current = monitor;
    monitor = undefined;
    for (const [reader, connection] of [...open]) {
      await release(reader, connection);
    }
    if (current) {
      w.cancel(current.context);
      // The wait returns on cancel; the timeout bounds it should the cancel be lost.
      await Promise.race([current.loop, sleep(pollTimeoutMs + 1000)]);
      w.releaseContext(current.context);
    }
    readers.clear();
  };

  return { kind: 'pcsc', start, connect, stop };
}

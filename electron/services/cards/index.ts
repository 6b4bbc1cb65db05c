/**
 * Card service: watches readers (PC/SC or in-process), reads CPx cards with the pure reader (`readCpxCard`) and
 * reports everything as events. One connection per read, SCARD_SHARE_SHARED, SCARD_LEAVE_CARD; never VERIFY,
 * never reset. A card pulled out mid-read is read again as soon as it is reinserted.
 */
import { classifyAtr, readCpxCard } from '../../../shared/cards';
import type { LearnedPathCache } from '../../../shared/cards/path-cache';
import { AppError } from '../../../shared/errors';
import { analyseCertificate } from './analysis';
import type { CardConnection } from './backend';
import { serviceError } from './errors';
import { createMemoryKeyValueStore, loadPathCache } from './path-store';
import type {
  CardErrorInfo,
  CardReadSummary,
  CardService,
  CardServiceDeps,
  CardServiceEvent,
  CardServiceState,
} from './types';

export type {
  CardErrorInfo,
  CardReadSummary,
  CardService,
  CardServiceDeps,
  CardServiceEvent,
  CardServiceState,
  ReaderInfo,
} from './types';

export type { ReaderBackend, CardConnection, BackendListener } from './backend';
export { createPcscBackend } from './pcsc-backend';
export type { PcscBackend, PcscBackendOptions, PcscImplementation } from './pcsc-backend';
export { createInProcessBackend } from './in-process-backend';
export type { InProcessBackend, SimulatedCard } from './in-process-backend';
export { createMemoryKeyValueStore } from './path-store';
export { createJsonFileKeyValueStore } from './json-store';
export type { KeyValueStore } from './path-store';
export { PCSC_FIX } from './errors';
export type { CertificateAnalysis } from './analysis';
export type { CardServiceErrorCode } from './errors';

type Slot = {
  name: string;
  atr: Uint8Array | null;
  insertions: number;
  inflight: Promise<CardReadSummary> | null;
  retryOnReinsert: boolean;
};

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex').toUpperCase();
const base64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const info = (error: AppError): CardErrorInfo => ({
  code: error.code,
  messageKey: error.messageKey,
  details: { ...(error.details ?? {}) },
});

/** Creates the card service. */
export function createCardService(deps: CardServiceDeps): CardService {
  const { backend, logger } = deps;
  const clock = deps.clock ?? (() => performance.now());
  const listeners = new Set<(event: CardServiceEvent) => void>();
  const slots = new Map<string, Slot>();
  let current: CardServiceState = 'idle';
  let cache: LearnedPathCache | undefined;

  const emit = (event: CardServiceEvent) => {
    for (const listener of [...listeners]) {
      try {
        listener(event);
      } catch (error) {
        logger.error('card event listener failed', { error: String(error) });
      }
    }
  };
  const setState = (state: CardServiceState, error?: AppError) => {
    current = state;
    emit(error ? { type: 'state-changed', state, error: info(error) } : { type: 'state-changed', state });
  };

  const waitUntil = async (predicate: () => boolean, timeoutMs: number) => {
    const deadline = clock() + timeoutMs;
    // Bounded by the deadline; polls the slot state the backend events update.
    while (!predicate() && clock() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    return predicate();
  };

  /** Turns any failure into a typed error, telling a pulled card or reader from a protocol fault. */
  const normalize = async (error: unknown, slot: Slot, insertion: number, timedOut: boolean): Promise<AppError> => {
    if (timedOut) {
      return serviceError('card.timeout', { reader: slot.name }, error);
    }
    const appError = error instanceof AppError ? error : serviceError('card.io', { reason: String(error) }, error);
    if (
      ['card.unknown', 'card.contactless', 'card.no-auth-certificate', 'card.corrupt-certificate'].includes(
        appError.code,
      )
    ) {
      return appError;
    }
    const gone = () => !slots.has(slot.name) || slot.atr === null || slot.insertions !== insertion;
    if (await waitUntil(gone, deps.removalGraceMs ?? 1500)) {
      return slots.has(slot.name)
        ? serviceError('card.removed', { reader: slot.name }, error)
        : serviceError('card.reader-unplugged', { reader: slot.name }, error);
    }
    return appError;
  };

  /** Connects, unless the read times out first; a connection that arrives late is closed at once. */
  const connectWithin = (reader: string, signal: AbortSignal): Promise<CardConnection> =>
    new Promise<CardConnection>((resolve, reject) => {
      const onAbort = () => {
        reject(serviceError('card.timeout', { reader, step: 'connect' }));
      };
      signal.addEventListener('abort', onAbort, { once: true });
      backend.connect(reader).then(
        (connection) => {
          signal.removeEventListener('abort', onAbort);
          if (signal.aborted) {
            void closeWithin(reader, connection);
          }
          resolve(connection);
        },
        (error: unknown) => {
          signal.removeEventListener('abort', onAbort);
          reject(error instanceof Error ? error : new Error(String(error)));
        },
      );
    });

  /**
   * Closes a connection, waiting a bounded time: after a timeout the card may never answer, and the backend's close
   * would wait behind the stuck command. The backend releases such a connection before its next connect.
   */
  const closeWithin = async (reader: string, connection: CardConnection): Promise<void> => {
    let timer: ReturnType<typeof setTimeout> | undefined;
    const closed = connection.close().then(
      () => true,
      (error: unknown) => {
        logger.warn('card connection close failed', { reader, error: String(error) });
        return true;
      },
    );
    const late = new Promise<boolean>((resolve) => {
      timer = setTimeout(() => {
        resolve(false);
      }, deps.closeTimeoutMs ?? 2000);
    });
    const done = await Promise.race([closed, late]);
    clearTimeout(timer);
    if (!done) {
      logger.warn('card connection still closing; left to the backend', { reader });
    }
  };

  const performRead = async (slot: Slot): Promise<CardReadSummary> => {
    const atr = slot.atr;
    if (!atr) {
      throw serviceError('card.no-card', { reader: slot.name });
    }
    const insertion = slot.insertions;
    const started = clock();
    emit({ type: 'read-started', reader: slot.name });
    if (classifyAtr(atr).generation === 'cps3-contactless') {
      // Decided from the ATR alone: no connection, no APDU.
      const error = serviceError('card.contactless', { reader: slot.name });
      throw error;
    }
    const controller = new AbortController();
    let timedOut = false;
    const timer = setTimeout(() => {
      timedOut = true;
      controller.abort();
    }, deps.readTimeoutMs ?? 20_000);
    try {
      const connection = await connectWithin(slot.name, controller.signal);
      try {
        const result = await readCpxCard(connection.transport, { atr, cache, signal: controller.signal });
        const auth = result.certificates.find((c) => c.role === 'authentication');
        const analysed = auth ? await analyseCertificate(auth.der) : null;
        const summary: CardReadSummary = {
          reader: slot.name,
          generation: result.generation,
          cardNumber: result.cardNumber,
          usedLearnedPath: result.usedLearnedPath,
          apdus: result.apdusExchanged,
          durationMs: clock() - started,
          certificates: result.certificates.map((c) => ({ role: c.role, label: c.label, derBase64: base64(c.der) })),
          authenticationCertificate:
            auth && analysed
              ? {
                  derBase64: base64(auth.der),
                  label: auth.label,
                  analysis: analysed.analysis,
                  analysisError: analysed.error,
                }
              : null,
        };
        return summary;
      } finally {
        await closeWithin(slot.name, connection);
      }
    } catch (error) {
      const normalized = await normalize(error, slot, insertion, timedOut);
      slot.retryOnReinsert = normalized.code === 'card.removed';
      throw normalized;
    } finally {
      clearTimeout(timer);
    }
  };

  const readCard = (reader: string): Promise<CardReadSummary> => {
    const slot = slots.get(reader);
    if (!slot) {
      return Promise.reject(serviceError('card.reader-unknown', { reader }));
    }
    if (slot.inflight) {
      return slot.inflight;
    }
    // The outcome events go out once the slot is free again, so a listener may start the next read right away.
    const run = (async () => {
      try {
        const summary = await performRead(slot);
        slot.inflight = null;
        emit({ type: 'read-succeeded', reader, result: summary });
        return summary;
      } catch (error) {
        slot.inflight = null;
        const typed = error instanceof AppError ? error : serviceError('card.io', { reason: String(error) }, error);
        emit({ type: 'read-failed', reader, error: info(typed), retryOnReinsert: slot.retryOnReinsert });
        throw typed;
      }
    })();
    slot.inflight = run;
    return run;
  };

  const readInBackground = (reader: string) => {
    readCard(reader).catch((error: unknown) => {
      logger.debug('automatic card read failed', { reader, error: String(error) });
    });
  };

  let reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  let stopped = false;

  // Learned paths are written in the background; `stop` waits for the writes so none lands in a folder being removed.
  const pendingWrites = new Set<Promise<void>>();
  const store = deps.store ?? createMemoryKeyValueStore();
  const persisted = {
    get: (key: string) => store.get(key),
    set: (key: string, value: unknown) => {
      const write = store.set(key, value);
      pendingWrites.add(write);
      void write.catch(() => undefined).finally(() => pendingWrites.delete(write));
      return write;
    },
  };

  /** pcscd went away: retry in the background until it is back (cancelled by `stop`). */
  const scheduleReconnect = () => {
    if (stopped || reconnectTimer !== undefined) {
      return;
    }
    reconnectTimer = setTimeout(() => {
      reconnectTimer = undefined;
      void (async () => {
        await backend.stop();
        if (!stopped && (await start()) === 'pcsc-service-down') {
          scheduleReconnect();
        }
      })();
    }, deps.reconnectIntervalMs ?? 3000);
  };

  const start = async (): Promise<CardServiceState> => {
    cache ??= await loadPathCache(persisted, logger);
    try {
      await backend.start({
        readerAdded: (name) => {
          slots.set(name, { name, atr: null, insertions: 0, inflight: null, retryOnReinsert: false });
          emit({ type: 'reader-added', reader: name });
        },
        readerRemoved: (name) => {
          slots.delete(name);
          emit({ type: 'reader-removed', reader: name });
        },
        cardInserted: (name, atr) => {
          const slot = slots.get(name);
          if (!slot) {
            return;
          }
          slot.atr = atr;
          slot.insertions += 1;
          const classification = classifyAtr(atr);
          emit({ type: 'card-inserted', reader: name, atr: hex(atr), ...classification });
          const retry = slot.retryOnReinsert;
          slot.retryOnReinsert = false;
          if (retry || deps.autoRead !== false) {
            readInBackground(name);
          }
        },
        cardRemoved: (name) => {
          const slot = slots.get(name);
          if (slot) {
            slot.atr = null;
          }
          emit({ type: 'card-removed', reader: name });
        },
        failed: (error) => {
          // The context and every reader thread report the same outage: act once.
          if (current === 'pcsc-service-down' || stopped) {
            return;
          }
          slots.clear();
          setState('pcsc-service-down', error instanceof AppError ? error : undefined);
          scheduleReconnect();
        },
      });
    } catch (error) {
      if (error instanceof AppError && (error.code === 'pcsc.unavailable' || error.code === 'pcsc.service-down')) {
        logger.warn('PC/SC not usable', { code: error.code });
        setState(error.code === 'pcsc.unavailable' ? 'pcsc-unavailable' : 'pcsc-service-down', error);
        if (error.code === 'pcsc.service-down') {
          scheduleReconnect();
        }
        return current;
      }
      throw error;
    }
    setState('ready');
    return current;
  };

  return {
    start,
    state: () => current,
    readers: () =>
      [...slots.values()].map((slot) => ({
        name: slot.name,
        card: slot.atr ? { atr: hex(slot.atr), ...classifyAtr(slot.atr) } : null,
        reading: slot.inflight !== null,
      })),
    onEvent: (listener) => {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    readCard,
    stop: async () => {
      stopped = true;
      clearTimeout(reconnectTimer);
      reconnectTimer = undefined;
      await Promise.allSettled([...slots.values()].flatMap((slot) => (slot.inflight ? [slot.inflight] : [])));
      await backend.stop();
      await Promise.allSettled([...pendingWrites]);
      slots.clear();
      setState('stopped');
    },
  };
}

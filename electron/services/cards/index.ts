/**
 * Card service: watches readers (PC/SC or in-process), reads CPx cards with the pure reader (`readCpxCard`) and
 * reports everything as events. One connection per read, SCARD_SHARE_SHARED, SCARD_LEAVE_CARD; never VERIFY,
 * never reset. A card pulled out mid-read is read again as soon as it is reinserted.
 */
import { classifyAtr, readCpxCard } from '../../../shared/cards';
import type { CardGeneration, CardInterface } from '../../../shared/cards/atr';
import type { LearnedPathCache } from '../../../shared/cards/path-cache';
import { AppError } from '../../../shared/errors';
import type { Logger } from '../../../shared/logging';
import type { CertificateAnalysis } from './analysis';
import { analyseCertificate } from './analysis';
import type { ReaderBackend } from './backend';
import { serviceError } from './errors';
import type { KeyValueStore } from './path-store';
import { createMemoryKeyValueStore, loadPathCache } from './path-store';

export type { ReaderBackend, CardConnection, BackendListener } from './backend';
export { createPcscBackend } from './pcsc-backend';
export { createInProcessBackend } from './in-process-backend';
export type { InProcessBackend, SimulatedCard } from './in-process-backend';
export { createMemoryKeyValueStore } from './path-store';
export type { KeyValueStore } from './path-store';
export { PCSC_FIX } from './errors';
export type { CertificateAnalysis } from './analysis';
export type { CardServiceErrorCode } from './errors';

/** Lifecycle of the service; the two `pcsc-*` states carry the fix in the `state-changed` event. */
export type CardServiceState = 'idle' | 'ready' | 'pcsc-unavailable' | 'pcsc-service-down' | 'stopped';

/** An error as it crosses to the UI. */
export type CardErrorInfo = { code: string; messageKey: string; details: Record<string, unknown> };

/** A reader and the card in it. */
export type ReaderInfo = {
  name: string;
  card: { atr: string; generation: CardGeneration; interface: CardInterface } | null;
  reading: boolean;
};

/** A successful read: certificates as base64 DER, plus the authentication certificate's analysis and mapping. */
export type CardReadSummary = {
  reader: string;
  generation: CardGeneration;
  cardNumber: string | null;
  usedLearnedPath: boolean;
  apdus: number;
  durationMs: number;
  certificates: { role: string; label: string; derBase64: string }[];
  authenticationCertificate: {
    derBase64: string;
    label: string;
    analysis: CertificateAnalysis | null;
    analysisError: string | null;
  } | null;
};

/** Everything the service reports. */
export type CardServiceEvent =
  | { type: 'state-changed'; state: CardServiceState; error?: CardErrorInfo }
  | { type: 'reader-added'; reader: string }
  | { type: 'reader-removed'; reader: string }
  | { type: 'card-inserted'; reader: string; atr: string; generation: CardGeneration; interface: CardInterface }
  | { type: 'card-removed'; reader: string }
  | { type: 'read-started'; reader: string }
  | { type: 'read-succeeded'; reader: string; result: CardReadSummary }
  | { type: 'read-failed'; reader: string; error: CardErrorInfo; retryOnReinsert: boolean };

/** Port of the card service. */
export type CardService = {
  /** Starts watching readers; resolves with the resulting state (never throws for a missing PC/SC). */
  start(): Promise<CardServiceState>;
  state(): CardServiceState;
  readers(): ReaderInfo[];
  onEvent(listener: (event: CardServiceEvent) => void): () => void;
  /** Reads the card in `reader`; concurrent calls for the same reader share one read. */
  readCard(reader: string): Promise<CardReadSummary>;
  stop(): Promise<void>;
};

/** Dependencies. */
export type CardServiceDeps = {
  backend: ReaderBackend;
  logger: Logger;
  store?: KeyValueStore;
  clock?: () => number;
  /** Read each inserted card automatically (default true). */
  autoRead?: boolean;
  readTimeoutMs?: number;
  /** How long to wait, after an I/O failure, for PC/SC to report the card or reader gone. */
  removalGraceMs?: number;
};

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
      const connection = await backend.connect(slot.name);
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
        await connection.close();
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

  const start = async (): Promise<CardServiceState> => {
    cache ??= await loadPathCache(deps.store ?? createMemoryKeyValueStore(), logger);
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
          slots.clear();
          setState('pcsc-service-down', error instanceof AppError ? error : undefined);
        },
      });
    } catch (error) {
      if (error instanceof AppError && (error.code === 'pcsc.unavailable' || error.code === 'pcsc.service-down')) {
        logger.warn('PC/SC not usable', { code: error.code });
        setState(error.code === 'pcsc.unavailable' ? 'pcsc-unavailable' : 'pcsc-service-down', error);
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
      await Promise.allSettled([...slots.values()].flatMap((slot) => (slot.inflight ? [slot.inflight] : [])));
      await backend.stop();
      slots.clear();
      setState('stopped');
    },
  };
}

/**
 * Public shapes of the card service: its port, events, read results and dependencies.
 */
import type { CardGeneration, CardInterface } from '../../../shared/cards/atr';
import type { Logger } from '../../../shared/logging';
import type { CertificateAnalysis } from './analysis';
import type { ReaderBackend } from './backend';
import type { KeyValueStore } from './path-store';

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
  /** Bound of a whole read, connect included: a card that never answers fails with `card.timeout` (default 20 s). */
  readTimeoutMs?: number;
  /** How long a read waits for its connection to close before moving on (default 2 s). */
  closeTimeoutMs?: number;
  /** How long to wait, after an I/O failure, for PC/SC to report the card or reader gone. */
  removalGraceMs?: number;
  /** After pcscd went away, how often to try to reconnect (default 3 s). */
  reconnectIntervalMs?: number;
};

/**
 * The seam between the card service and a source of readers: PC/SC (pcsclite → pcscd) or the in-process virtual
 * card (demo mode without pcscd). The service's logic (events, retries, reading) is the same over both.
 */
import type { ApduTransport } from '../../../shared/cards/transport';

/** What a backend reports as it watches readers. */
export type BackendListener = {
  readerAdded(reader: string): void;
  readerRemoved(reader: string): void;
  cardInserted(reader: string, atr: Uint8Array): void;
  cardRemoved(reader: string): void;
  /** The backend died (pcscd stopped): an AppError with a `pcsc.*` code. */
  failed(error: unknown): void;
};

/** An open connection to the card in one reader (SCARD_SHARE_SHARED). */
export type CardConnection = {
  readonly protocol: 'T0' | 'T1';
  readonly transport: ApduTransport;
  /** Disconnects with SCARD_LEAVE_CARD: never reset, never unpower. */
  close(): Promise<void>;
};

/** A source of readers and cards. */
export type ReaderBackend = {
  readonly kind: 'pcsc' | 'in-process';
  /** Starts watching; throws AppError `pcsc.unavailable` or `pcsc.service-down`. */
  start(listener: BackendListener): Promise<void>;
  connect(reader: string): Promise<CardConnection>;
  stop(): Promise<void>;
};

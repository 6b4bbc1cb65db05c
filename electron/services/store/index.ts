import type { Logger } from '../../../shared/logging';
import { createBulkJobs, ensureBulkJobsSchema } from './bulk-jobs';
import type { BulkJobsPort } from './bulk-jobs';
import type { JsonValue } from './canonical-json';
import type { HeadAnchor, VerifyReport } from './chain';
import { openWritable } from './db';
import type { WritableDb } from './db';
import { storeError, withSqliteErrors } from './errors';
import { exportJournal } from './export';
import type { ExportFormat } from './export';
import { appendCheckpoint, headLogPathFor, lastCheckpoint } from './head-log';
import { appendEntry, listEntries, readHead, verifyJournal } from './journal';
import type { JournalEntry, JournalEntryInput } from './journal-entry';
import { migrate } from './migrations';
import { recoverInFlight } from './queue';
import { createQueuePort } from './queue-port';
import type { EnqueueInput, QueueItem, QueueState } from './queue';

export type { JsonValue } from './canonical-json';
export type { ChainProblem, HeadAnchor, VerifyReport } from './chain';
export { HEAD_LOG_FILE_NAME, headLogPathFor, lastCheckpoint } from './head-log';
export type { HeadCheckpoint } from './head-log';
export type { ExportFormat } from './export';
export type { JournalEntry, JournalEntryInput, JournalKind } from './journal-entry';
export type { EnqueueInput, QueueItem, QueueKind, QueueState } from './queue';
export type { StoreErrorCode } from './errors';
export type { BulkJob, BulkJobCounts, BulkJobRow, BulkJobRowState, BulkJobState, BulkJobsPort } from './bulk-jobs';
export { defaultDbPath } from './paths';

/** Milliseconds since the epoch (same shape as the graph service clock). */
export type StoreClock = { now(): number };

/** The append-only, hash-chained enrollment journal. */
export interface JournalPort {
  /** Validate and append one entry (`at` defaults to the clock). */
  append(entry: JournalEntryInput): Promise<JournalEntry>;
  /** Walk the chain; never throws for tampering, reports it. */
  verify(): Promise<VerifyReport>;
  /** Like verify, but throws `store.tampered` (details: problems) when the chain is broken. */
  assertIntact(): Promise<VerifyReport>;
  /** A bounded page of entries after `afterSeq`. */
  list(options?: { afterSeq?: number; limit?: number }): Promise<JournalEntry[]>;
  /** CSV or JSON export, optionally pseudonymised with an HMAC key. */
  export(options: {
    format: ExportFormat;
    pseudonymizeKey?: string;
  }): Promise<{ text: string; verification: VerifyReport }>;
}

/** The durable offline queue; each mutation may carry a journal entry committed in the same transaction. */
export interface QueuePort {
  /** Add a write; the same idempotency key again is a no-op returning the existing item (`created: false`). */
  enqueue(input: EnqueueInput, journal?: JournalEntryInput): Promise<{ item: QueueItem; created: boolean }>;
  /** Pending items, oldest first. */
  pending(limit?: number): Promise<QueueItem[]>;
  /** Pending items whose retry time has come (default: the store clock's now), oldest first. */
  due(limit?: number): Promise<QueueItem[]>;
  /** One item by id. */
  get(id: number): Promise<QueueItem | undefined>;
  /** Items still shown to the agent (pending, in flight, held, refused), oldest first. */
  open(limit?: number): Promise<QueueItem[]>;
  /**
   * pending → in-flight; undefined when the item is no longer pending. The entry (or the entry built from the claimed
   * item, to carry its attempt number) commits with the claim.
   */
  claim(
    id: number,
    journal?: JournalEntryInput | ((claimed: QueueItem) => JournalEntryInput),
  ): Promise<QueueItem | undefined>;
  /** in-flight → done. */
  complete(id: number, result: JsonValue, journal?: JournalEntryInput): Promise<QueueItem>;
  /** in-flight → done with several entries in the same transaction (the result and what followed), returned. */
  completeJournaled(
    id: number,
    result: JsonValue,
    entries: readonly JournalEntryInput[],
  ): Promise<{ item: QueueItem; entries: JournalEntry[] }>;
  /** in-flight → needs-confirmation with why (shown to the agent) and a short code. */
  hold(id: number, hold: JsonValue, code: string, journal?: JournalEntryInput): Promise<QueueItem>;
  /** needs-confirmation → pending, bound to the object id the agent confirmed. */
  confirm(id: number, userId: string, journal?: JournalEntryInput): Promise<QueueItem>;
  /** failed-permanent → pending (the agent asked to try again). */
  retry(id: number, journal?: JournalEntryInput): Promise<QueueItem>;
  /** pending, needs-confirmation or failed-permanent → dismissed (kept for the record, never replayed). */
  dismiss(id: number, journal?: JournalEntryInput): Promise<QueueItem>;
  /** Note, before sending, that a Graph write of this in-flight item may leave the machine. */
  markSent(id: number): Promise<QueueItem>;
  /** in-flight → pending (retry at `retryAt`) or failed-permanent when `retryAt` is null. */
  fail(id: number, error: string, retryAt: Date | null, journal?: JournalEntryInput): Promise<QueueItem>;
  /** Number of items in each state. */
  counts(): Promise<Record<QueueState, number>>;
}

/** The store service port. */
export interface StoreService {
  readonly journal: JournalPort;
  readonly queue: QueuePort;
  /** Resumable bulk enrollment jobs (same database as the journal). */
  readonly bulkJobs: BulkJobsPort;
  /** How many in-flight items were put back to pending when the store opened (crash recovery). */
  readonly recoveredInFlight: number;
  close(): void;
}

/** Dependencies of the store. */
export type StoreDeps = {
  filePath: string;
  clock: StoreClock;
  logger: Logger;
  /** How long to wait for another process's write lock before `store.locked` (default 5000 ms). */
  busyTimeoutMs?: number;
  /**
   * Append-only file of journal head checkpoints (default: `journal-head.log` next to the database; null: none).
   * `verify` reports a journal whose head is behind the last checkpoint as truncated.
   */
  headLogPath?: string | null;
};

/**
 * Open the SQLite store (WAL, synchronous=FULL), migrate it, and put interrupted queue work back to pending.
 *
 * The implementation is synchronous (better-sqlite3); the port is async so it can move to a worker thread later
 * without touching callers. Failures surface as `store.corrupt`, `store.locked`, `store.too-new` and friends.
 */
export function createStore(deps: StoreDeps): StoreService {
  const db: WritableDb = openWritable(deps.filePath, deps.busyTimeoutMs);
  const headLog = deps.headLogPath === undefined ? headLogPathFor(deps.filePath) : deps.headLogPath;
  let checkpointed = 0;
  let recovered: number;
  try {
    recovered = withSqliteErrors({ filePath: deps.filePath }, () => {
      const applied = migrate(db);
      if (applied.length > 0) {
        deps.logger.info('store migrated', { versions: applied });
      }
      ensureBulkJobsSchema(db);
      return recoverInFlight(db, nowIso());
    });
  } catch (error) {
    db.close();
    throw error;
  }
  // A head committed by a run killed before its checkpoint (or a database older than the checkpoints) is written now;
  // a head *behind* the last checkpoint is left alone: verify reports it.
  checkpointed = lastCheckpoint(headLog)?.seq ?? 0;
  checkpoint();
  if (recovered > 0) {
    deps.logger.warn('store recovered in-flight queue items after an interrupted run', { count: recovered });
  }

  function nowIso(): string {
    return new Date(deps.clock.now()).toISOString();
  }

  /**
   * Checkpoint the journal head outside the database when it moved since the last one (after the commit: a
   * checkpoint never names an entry that is not durable). A failing file write is logged, never undoes the commit.
   */
  function checkpoint(): void {
    if (headLog === null) {
      return;
    }
    const head = readHead(db);
    if (head === undefined || head.seq <= checkpointed) {
      return;
    }
    try {
      appendCheckpoint(headLog, { ...head, at: nowIso() });
      checkpointed = head.seq;
    } catch (error) {
      deps.logger.warn('journal head checkpoint not written', { error: String(error) });
    }
  }

  /** Run `fn` in an IMMEDIATE transaction (write lock up front: no deadlock upgrading a read lock). */
  function write<T>(operation: string, fn: () => T): Promise<T> {
    return Promise.resolve().then(() => {
      const result = withSqliteErrors({ operation }, () => db.transaction(fn).immediate());
      checkpoint();
      return result;
    });
  }

  function anchors(): HeadAnchor[] {
    const last = lastCheckpoint(headLog);
    return last === undefined ? [] : [{ seq: last.seq, hash: last.hash, source: 'checkpoint' }];
  }

  function read<T>(operation: string, fn: () => T): Promise<T> {
    return Promise.resolve().then(() => withSqliteErrors({ operation }, fn));
  }

  function journalWith(entry: JournalEntryInput | undefined): void {
    if (entry !== undefined) {
      appendEntry(db, entry, deps.clock.now());
    }
  }

  const journal: JournalPort = {
    append: (entry) => write('journal.append', () => appendEntry(db, entry, deps.clock.now())),
    verify: () => read('journal.verify', () => verifyJournal(db, anchors())),
    async assertIntact() {
      const report = await this.verify();
      if (!report.ok) {
        throw storeError('store.tampered', { problems: report.problems.slice(0, 20), count: report.problems.length });
      }
      return report;
    },
    list: (options) => read('journal.list', () => listEntries(db, options)),
    export: (options) =>
      read('journal.export', () =>
        exportJournal(db, {
          format: options.format,
          pseudonymizeKey: options.pseudonymizeKey,
          generatedAt: nowIso(),
        }),
      ),
  };

  const queue = createQueuePort({ db, write, read, nowIso, journalWith, nowMs: () => deps.clock.now() });

  const bulkJobs = createBulkJobs({ db, write, read, nowMs: () => deps.clock.now() });

  return {
    journal,
    queue,
    bulkJobs,
    recoveredInFlight: recovered,
    close: () => {
      db.close();
    },
  };
}

/** Conventional factory name (`create<Name>Service`); same as `createStore`. */
export const createStoreService = createStore;

export { openJournalReader } from './reader';
export type { JournalReader } from './reader';

import type { WritableDb } from './db';
import { storeError } from './errors';
import type { QueuePort } from './index';
import { appendEntry } from './journal';
import type { JournalEntryInput } from './journal-entry';
import {
  claimItem,
  completeItem,
  confirmItem,
  countByState,
  dismissItem,
  enqueueInputSchema,
  failItem,
  getItem,
  holdItem,
  insertItem,
  listDue,
  listOpen,
  listPending,
  markItemSent,
  retryItem,
} from './queue';

/** What the queue port needs from the store: its connection, transactions, clock and journal. */
export type QueuePortContext = {
  db: WritableDb;
  /** Run in one IMMEDIATE transaction (and checkpoint the journal head after the commit). */
  write: <T>(operation: string, fn: () => T) => Promise<T>;
  read: <T>(operation: string, fn: () => T) => Promise<T>;
  nowIso: () => string;
  nowMs: () => number;
  /** Append an entry inside the current transaction (nothing when undefined). */
  journalWith: (entry: JournalEntryInput | undefined) => void;
};

/** The offline queue port over the store's connection; each transition commits with its journal entry. */
export function createQueuePort(ctx: QueuePortContext): QueuePort {
  const { db, write, read, nowIso, journalWith } = ctx;
  return {
    enqueue: (input, entry) =>
      write('queue.enqueue', () => {
        const parsed = enqueueInputSchema.safeParse(input);
        if (!parsed.success) {
          throw storeError('store.invalid-entry', { issues: parsed.error.issues.map((i) => i.message) });
        }
        const outcome = insertItem(db, parsed.data, nowIso());
        // Only a real insertion is journalled: a repeated request changed nothing.
        if (outcome.created) {
          journalWith(entry);
        }
        return outcome;
      }),
    pending: (limit) => read('queue.pending', () => listPending(db, limit)),
    due: (limit) => read('queue.due', () => listDue(db, nowIso(), limit)),
    get: (id) => read('queue.get', () => getItem(db, id)),
    open: (limit) => read('queue.open', () => listOpen(db, limit)),
    claim: (id, entry) =>
      write('queue.claim', () => {
        const item = claimItem(db, id, nowIso());
        if (item !== undefined) {
          journalWith(typeof entry === 'function' ? entry(item) : entry);
        }
        return item;
      }),
    completeJournaled: (id, result, entries) =>
      write('queue.complete', () => {
        const item = completeItem(db, id, result, nowIso());
        return { item, entries: entries.map((e) => appendEntry(db, e, ctx.nowMs())) };
      }),
    hold: (id, hold, code, entry) =>
      write('queue.hold', () => {
        const item = holdItem(db, id, hold, code, nowIso());
        journalWith(entry);
        return item;
      }),
    confirm: (id, userId, entry) =>
      write('queue.confirm', () => {
        const item = confirmItem(db, id, userId, nowIso());
        journalWith(entry);
        return item;
      }),
    retry: (id, entry) =>
      write('queue.retry', () => {
        const item = retryItem(db, id, nowIso());
        journalWith(entry);
        return item;
      }),
    dismiss: (id, entry) =>
      write('queue.dismiss', () => {
        const item = dismissItem(db, id, nowIso());
        journalWith(entry);
        return item;
      }),
    markSent: (id) => write('queue.mark-sent', () => markItemSent(db, id, nowIso())),
    complete: (id, result, entry) =>
      write('queue.complete', () => {
        const item = completeItem(db, id, result, nowIso());
        journalWith(entry);
        return item;
      }),
    fail: (id, error, retryAt, entry) =>
      write('queue.fail', () => {
        const item = failItem(db, id, error, retryAt === null ? null : retryAt.toISOString(), nowIso());
        journalWith(entry);
        return item;
      }),
    counts: () => read('queue.counts', () => countByState(db)),
  };
}

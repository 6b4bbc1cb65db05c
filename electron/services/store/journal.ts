import { canonicalJson } from './canonical-json';
import { entryHash, GENESIS_PREV_HASH, verifyChain } from './chain';
import type { ChainRow, HeadAnchor, VerifyReport } from './chain';
import type { ReadableDb, WritableDb } from './db';
import { storeError } from './errors';
import { journalEntryInputSchema, journalEntrySchema, MAX_ENTRY_BYTES } from './journal-entry';
import type { JournalEntry, JournalEntryInput } from './journal-entry';
import { prepared } from './statements';

const SELECT_LAST = 'SELECT seq, hash FROM journal ORDER BY seq DESC LIMIT 1';
const INSERT = 'INSERT INTO journal (seq, entry_json, prev_hash, hash) VALUES (?, ?, ?, ?)';
const SELECT_ROWS = 'SELECT seq, entry_json AS entryJson, prev_hash AS prevHash, hash FROM journal ORDER BY seq';
const SELECT_PAGE =
  'SELECT seq, entry_json AS entryJson, prev_hash AS prevHash, hash FROM journal WHERE seq > ? ORDER BY seq LIMIT ?';
const SELECT_HEAD = 'SELECT seq, hash FROM journal_head WHERE id = 1';

/**
 * Validate and append one entry; the caller owns the transaction (so queue changes and their entry commit together).
 *
 * The entry's text includes its `seq`, and its hash links it to the previous row: `SHA-256(prevHash || text)`.
 */
export function appendEntry(db: WritableDb, input: JournalEntryInput, nowMs: number): JournalEntry {
  const parsed = journalEntryInputSchema.safeParse(input);
  if (!parsed.success) {
    throw storeError('store.invalid-entry', {
      issues: parsed.error.issues.map((i) => ({ path: i.path, message: i.message })),
    });
  }
  const last = prepared<[], { seq: number; hash: string }>(db, SELECT_LAST).get();
  const entry: JournalEntry = {
    ...parsed.data,
    at: parsed.data.at ?? new Date(nowMs).toISOString(),
    seq: (last?.seq ?? 0) + 1,
  };
  const text = canonicalJson(entry);
  if (Buffer.byteLength(text, 'utf8') > MAX_ENTRY_BYTES) {
    throw storeError('store.invalid-entry', { reason: 'too-large', bytes: Buffer.byteLength(text, 'utf8') });
  }
  const prevHash = last?.hash ?? GENESIS_PREV_HASH;
  prepared<[number, string, string, string]>(db, INSERT).run(entry.seq, text, prevHash, entryHash(prevHash, text));
  return entry;
}

/** Walk the whole journal and report problems (streams rows: memory grows with the entry count, not their size). */
export function verifyJournal(db: ReadableDb, anchors: readonly HeadAnchor[] = []): VerifyReport {
  // One read transaction: rows and head come from the same snapshot even while another connection appends.
  return db.transaction(() => {
    const head = prepared<[], { seq: number; hash: string }>(db, SELECT_HEAD).get();
    const rows = prepared<[], ChainRow>(db, SELECT_ROWS).iterate();
    return verifyChain(rows, head, anchors);
  })();
}

/** Parse a stored row's text back into an entry (shape-checked: rows edited outside the app may be anything). */
export function parseStoredEntry(row: ChainRow): JournalEntry {
  try {
    return journalEntrySchema.parse(JSON.parse(row.entryJson));
  } catch (error) {
    throw storeError('store.tampered', { seq: row.seq, reason: 'unreadable entry' }, error);
  }
}

/** Entries with `seq` above `afterSeq`, at most `limit` (bounded pages for the UI and exports). */
export function listEntries(db: ReadableDb, options: { afterSeq?: number; limit?: number } = {}): JournalEntry[] {
  const limit = Math.min(Math.max(options.limit ?? 500, 1), 10_000);
  const rows = prepared<[number, number], ChainRow>(db, SELECT_PAGE).all(options.afterSeq ?? 0, limit);
  return rows.map(parseStoredEntry);
}

/** Every stored row in seq order, lazily (exports stream through this). */
export function iterateRows(db: ReadableDb): IterableIterator<ChainRow> {
  return prepared<[], ChainRow>(db, SELECT_ROWS).iterate();
}

/** The head recorded in the database (after the last committed append), or undefined for an empty journal. */
export function readHead(db: ReadableDb): { seq: number; hash: string } | undefined {
  return prepared<[], { seq: number; hash: string }>(db, SELECT_HEAD).get();
}

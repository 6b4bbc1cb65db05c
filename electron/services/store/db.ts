import { mkdirSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { strictAssert } from '../../../shared/errors';
import { storeError, withSqliteErrors } from './errors';

declare const readableBrand: unique symbol;
declare const writableBrand: unique symbol;

/** A connection that may only run read queries (typed query functions take this when they never write). */
export type ReadableDb = Database.Database & { readonly [readableBrand]: true };
/** A connection allowed to write; every writable handle is also readable. */
export type WritableDb = ReadableDb & { readonly [writableBrand]: true };

/** How long a writer waits for another process's lock before `store.locked` (ms). */
export const BUSY_TIMEOUT_MS = 5000;

/**
 * Open (creating if needed) the database file for writing, with the pragmas the journal and queue rely on.
 *
 * WAL lets readers (verify, export) run while the app writes; `synchronous=FULL` fsyncs the WAL on every commit so a
 * committed journal entry or queue transition survives a power cut, not only a process crash. `foreign_keys` is off
 * by default in SQLite and must be set per connection.
 */
export function openWritable(filePath: string, busyTimeoutMs: number = BUSY_TIMEOUT_MS): WritableDb {
  return withSqliteErrors({ filePath }, () => {
    if (filePath !== ':memory:') {
      mkdirSync(dirname(filePath), { recursive: true, mode: 0o700 });
    }
    strictAssert(Number.isSafeInteger(busyTimeoutMs) && busyTimeoutMs >= 0, 'busy timeout is a non-negative integer');
    const db = new Database(filePath, { timeout: busyTimeoutMs });
    try {
      db.pragma(`busy_timeout = ${String(busyTimeoutMs)}`);
      const mode = db.pragma('journal_mode = WAL', { simple: true });
      if (filePath !== ':memory:' && mode !== 'wal') {
        throw storeError('store.corrupt', { filePath, journalMode: mode });
      }
      db.pragma('synchronous = FULL');
      db.pragma('foreign_keys = ON');
      // A damaged header or page shows up here rather than in the middle of a later write.
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') {
        throw storeError('store.corrupt', { filePath, quickCheck: String(check) });
      }
    } catch (error) {
      db.close();
      throw error;
    }
    return db as WritableDb;
  });
}

/** Open an existing database read-only (verify and export from the CLI never take a write lock). */
export function openReadable(filePath: string): ReadableDb {
  return withSqliteErrors({ filePath }, () => {
    const db = new Database(filePath, { readonly: true, fileMustExist: true, timeout: BUSY_TIMEOUT_MS });
    try {
      db.pragma(`busy_timeout = ${String(BUSY_TIMEOUT_MS)}`);
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') {
        throw storeError('store.corrupt', { filePath, quickCheck: String(check) });
      }
    } catch (error) {
      db.close();
      throw error;
    }
    return db as ReadableDb;
  });
}

/** Read the schema version SQLite keeps in the file header (`PRAGMA user_version`). */
export function schemaVersion(db: ReadableDb): number {
  const value = db.pragma('user_version', { simple: true });
  strictAssert(typeof value === 'number', 'user_version is a number');
  return value;
}

/**
 * Set the schema version. PRAGMA takes no bound parameters, so the integer is checked before it reaches the text.
 */
export function setSchemaVersion(db: WritableDb, version: number): void {
  strictAssert(Number.isSafeInteger(version) && version >= 0, 'schema version is a non-negative integer');
  db.pragma(`user_version = ${String(version)}`);
}

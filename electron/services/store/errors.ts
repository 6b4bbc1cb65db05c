import { AppError } from '../../../shared/errors';

/** Closed set of codes the store service throws. */
export type StoreErrorCode =
  | 'store.corrupt'
  | 'store.locked'
  | 'store.tampered'
  | 'store.duplicate'
  | 'store.too-new'
  | 'store.invalid-entry'
  | 'store.invalid-transition'
  | 'store.not-found'
  | 'store.weak-key';

/** Build a store error with the house `AppError` shape. */
export function storeError(code: StoreErrorCode, details?: Record<string, unknown>, cause?: unknown): AppError {
  return new AppError(code, { details, cause });
}

/** SQLite result codes (from better-sqlite3's `SqliteError.code`) that mean "someone else holds the database". */
const LOCKED_CODES = new Set(['SQLITE_BUSY', 'SQLITE_LOCKED', 'SQLITE_BUSY_SNAPSHOT', 'SQLITE_BUSY_RECOVERY']);
/** Codes that mean the file is not a usable database (damaged, truncated, or not SQLite at all). */
const CORRUPT_CODES = new Set(['SQLITE_CORRUPT', 'SQLITE_NOTADB', 'SQLITE_CORRUPT_VTAB', 'SQLITE_CORRUPT_INDEX']);

/**
 * Map a low-level SQLite failure to a typed store error; anything else is returned unchanged (a bug, not a user error).
 *
 * Already-typed `AppError`s pass through untouched so wrapping twice is harmless.
 */
export function classifySqliteError(error: unknown, context: Record<string, unknown> = {}): unknown {
  if (error instanceof AppError) {
    return error;
  }
  const code = typeof error === 'object' && error !== null && 'code' in error ? String(error.code) : '';
  if (LOCKED_CODES.has(code)) {
    return storeError('store.locked', { ...context, sqlite: code }, error);
  }
  if (CORRUPT_CODES.has(code)) {
    return storeError('store.corrupt', { ...context, sqlite: code }, error);
  }
  return error;
}

/** Run `fn`, rethrowing SQLite failures as typed store errors. */
export function withSqliteErrors<T>(context: Record<string, unknown>, fn: () => T): T {
  try {
    return fn();
  } catch (error) {
    throw classifySqliteError(error, context);
  }
}

import type { Statement } from 'better-sqlite3';
import type { ReadableDb } from './db';

const cache = new WeakMap<ReadableDb, Map<string, Statement>>();

/**
 * Prepare a constant SQL text once per connection.
 *
 * Callers pass string literals only (no SQL is ever built from values); parameters are always bound.
 */
export function prepared<P extends unknown[] | Record<string, unknown> = unknown[], R = unknown>(
  db: ReadableDb,
  sql: string,
): Statement<P, R> {
  let perDb = cache.get(db);
  if (perDb === undefined) {
    perDb = new Map();
    cache.set(db, perDb);
  }
  let statement = perDb.get(sql);
  if (statement === undefined) {
    statement = db.prepare(sql);
    perDb.set(sql, statement);
  }
  return statement as unknown as Statement<P, R>;
}

import type { Migration } from './types';

/**
 * 0002 — the durable offline queue of Graph writes (one row per mapping change, unique idempotency key).
 *
 * State machine: pending → in-flight → done | failed-permanent; in-flight → pending on crash recovery; a retryable
 * failure goes back to pending with `not_before`. One `state` column makes "both done and pending" impossible.
 */
export const migration0002: Migration = {
  version: 2,
  name: '0002-offline-queue',
  up(db) {
    db.exec(`
      CREATE TABLE offline_queue (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        kind TEXT NOT NULL CHECK (kind IN ('write-mapping', 'remove-mapping')),
        payload_json TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in-flight', 'done', 'failed-permanent')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        not_before TEXT,
        last_error TEXT,
        result_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL
      ) STRICT;

      CREATE INDEX offline_queue_by_state ON offline_queue (state, id);
    `);
  },
};

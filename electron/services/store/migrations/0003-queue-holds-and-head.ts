import type { Migration } from './types';

/**
 * 0003 — queue items the agent must act on, and a journal head that cannot move back.
 *
 * The queue gains two states: `needs-confirmation` (a step queued by UPN whose account does not match the card
 * confidently: held until the agent confirms or dismisses it) and `dismissed` (the agent took a refused or held item
 * out of the queue; the row stays for the record). `hold_json` carries why an item is held, `confirmed_user_id` the
 * object id the agent confirmed, and `sent_at` marks that a Graph write of the item may have left the machine (so a
 * replay that finds the values present can say the earlier attempt landed). SQLite cannot widen a CHECK in place:
 * the table is rebuilt, rows and ids kept.
 *
 * `journal_head_no_rewind` refuses moving the recorded head backwards (a cut-off tail plus a rewritten head). Like the
 * other triggers, defence in depth only: the checkpoints written outside the database are what catches it.
 */
export const migration0003: Migration = {
  version: 3,
  name: '0003-queue-holds-and-head',
  up(db) {
    db.exec(`
      CREATE TABLE offline_queue_v3 (
        id INTEGER PRIMARY KEY AUTOINCREMENT,
        idempotency_key TEXT NOT NULL UNIQUE CHECK (length(idempotency_key) BETWEEN 1 AND 200),
        kind TEXT NOT NULL CHECK (kind IN ('write-mapping', 'remove-mapping')),
        payload_json TEXT NOT NULL,
        state TEXT NOT NULL DEFAULT 'pending'
          CHECK (state IN ('pending', 'in-flight', 'done', 'failed-permanent', 'needs-confirmation', 'dismissed')),
        attempts INTEGER NOT NULL DEFAULT 0 CHECK (attempts >= 0),
        not_before TEXT,
        last_error TEXT,
        result_json TEXT,
        created_at TEXT NOT NULL,
        updated_at TEXT NOT NULL,
        hold_json TEXT,
        confirmed_user_id TEXT,
        sent_at TEXT
      ) STRICT;

      INSERT INTO offline_queue_v3 (id, idempotency_key, kind, payload_json, state, attempts, not_before, last_error,
        result_json, created_at, updated_at)
      SELECT id, idempotency_key, kind, payload_json, state, attempts, not_before, last_error, result_json, created_at,
        updated_at FROM offline_queue ORDER BY id;

      DROP TABLE offline_queue;
      ALTER TABLE offline_queue_v3 RENAME TO offline_queue;
      CREATE INDEX offline_queue_by_state ON offline_queue (state, id);

      CREATE TRIGGER journal_head_no_rewind BEFORE UPDATE ON journal_head WHEN NEW.seq < OLD.seq
      BEGIN SELECT RAISE(ABORT, 'journal head cannot move back'); END;
    `);
  },
};

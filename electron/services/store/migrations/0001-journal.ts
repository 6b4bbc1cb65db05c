import type { Migration } from './types';

/**
 * 0001 — the append-only, hash-chained enrollment journal.
 *
 * `journal` holds one row per entry; `journal_head` mirrors the last (seq, hash) so that cutting entries off the end
 * is visible to `verify()`. Triggers refuse UPDATE and DELETE: defence in depth only, since anyone with the file can
 * drop them — the hash chain is what proves integrity.
 */
export const migration0001: Migration = {
  version: 1,
  name: '0001-journal',
  up(db) {
    db.exec(`
      CREATE TABLE journal (
        seq INTEGER PRIMARY KEY,
        entry_json TEXT NOT NULL,
        prev_hash TEXT NOT NULL CHECK (length(prev_hash) = 64),
        hash TEXT NOT NULL CHECK (length(hash) = 64)
      ) STRICT;

      CREATE TABLE journal_head (
        id INTEGER PRIMARY KEY CHECK (id = 1),
        seq INTEGER NOT NULL,
        hash TEXT NOT NULL
      ) STRICT;

      CREATE TRIGGER journal_no_update BEFORE UPDATE ON journal
      BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

      CREATE TRIGGER journal_no_delete BEFORE DELETE ON journal
      BEGIN SELECT RAISE(ABORT, 'journal is append-only'); END;

      CREATE TRIGGER journal_head_advance AFTER INSERT ON journal
      BEGIN
        INSERT INTO journal_head (id, seq, hash) VALUES (1, NEW.seq, NEW.hash)
        ON CONFLICT (id) DO UPDATE SET seq = excluded.seq, hash = excluded.hash;
      END;

      CREATE TRIGGER journal_head_no_delete BEFORE DELETE ON journal_head
      BEGIN SELECT RAISE(ABORT, 'journal head cannot be removed'); END;
    `);
  },
};

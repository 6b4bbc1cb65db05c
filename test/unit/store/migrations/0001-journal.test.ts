import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWritable, schemaVersion } from '../../../../electron/services/store/db';
import type { WritableDb } from '../../../../electron/services/store/db';
import { migrate } from '../../../../electron/services/store/migrations';
import { tempDir } from '../helpers';

describe('migration 0001-journal', () => {
  let dir: { dir: string; cleanup: () => void };
  let db: WritableDb;
  beforeEach(() => {
    dir = tempDir();
    db = openWritable(join(dir.dir, 'm.db'));
  });
  afterEach(() => {
    db.close();
    dir.cleanup();
  });

  it('migrates an empty file (version 0) to version 1 with the journal, its head and its triggers', () => {
    expect(schemaVersion(db)).toBe(0);
    expect(migrate(db, { to: 1 })).toEqual([1]);
    expect(schemaVersion(db)).toBe(1);
    const names = db
      .prepare("SELECT type, name FROM sqlite_master WHERE type IN ('table', 'trigger') ORDER BY name")
      .all();
    expect(names).toEqual([
      { type: 'table', name: 'journal' },
      { type: 'table', name: 'journal_head' },
      { type: 'trigger', name: 'journal_head_advance' },
      { type: 'trigger', name: 'journal_head_no_delete' },
      { type: 'trigger', name: 'journal_no_delete' },
      { type: 'trigger', name: 'journal_no_update' },
    ]);
  });

  it('advances the head on insert and forbids updates and deletes', () => {
    migrate(db, { to: 1 });
    db.prepare('INSERT INTO journal (seq, entry_json, prev_hash, hash) VALUES (?, ?, ?, ?)').run(
      1,
      '{}',
      '0'.repeat(64),
      'a'.repeat(64),
    );
    expect(db.prepare('SELECT seq, hash FROM journal_head').get()).toEqual({ seq: 1, hash: 'a'.repeat(64) });
    expect(() => db.exec("UPDATE journal SET entry_json = '[]'")).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM journal')).toThrow(/append-only/);
    expect(() => db.exec('DELETE FROM journal_head')).toThrow(/cannot be removed/);
  });

  it('is not applied twice', () => {
    migrate(db, { to: 1 });
    expect(migrate(db, { to: 1 })).toEqual([]);
  });
});

import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWritable, schemaVersion } from '../../../../electron/services/store/db';
import type { WritableDb } from '../../../../electron/services/store/db';
import { appendEntry, verifyJournal } from '../../../../electron/services/store/journal';
import { migrate } from '../../../../electron/services/store/migrations';
import { sampleEntry, tempDir } from '../helpers';

describe('migration 0002-offline-queue', () => {
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

  it('migrates a version-1 file with journal entries to version 2, leaving the chain intact', () => {
    migrate(db, { to: 1 });
    for (let n = 1; n <= 3; n += 1) {
      appendEntry(db, sampleEntry(n), Date.parse('2026-01-01T00:00:00Z'));
    }
    const before = verifyJournal(db);

    expect(migrate(db, { to: 2 })).toEqual([2]);

    expect(schemaVersion(db)).toBe(2);
    expect(verifyJournal(db)).toEqual(before);
    expect(before).toMatchObject({ ok: true, entries: 3 });
    const columns = db.prepare('SELECT name FROM pragma_table_info(?) ORDER BY cid').all('offline_queue');
    expect(columns.map((c) => (c as { name: string }).name)).toEqual([
      'id',
      'idempotency_key',
      'kind',
      'payload_json',
      'state',
      'attempts',
      'not_before',
      'last_error',
      'result_json',
      'created_at',
      'updated_at',
    ]);
  });

  it('enforces the unique idempotency key and the closed sets of kinds and states', () => {
    migrate(db);
    const insert = db.prepare(
      "INSERT INTO offline_queue (idempotency_key, kind, payload_json, state, created_at, updated_at) VALUES (?, ?, '{}', ?, 'x', 'x')",
    );
    insert.run('k', 'write-mapping', 'pending');
    expect(() => insert.run('k', 'write-mapping', 'pending')).toThrow(/UNIQUE/);
    expect(() => insert.run('k2', 'delete-user', 'pending')).toThrow(/CHECK/);
    expect(() => insert.run('k3', 'write-mapping', 'lost')).toThrow(/CHECK/);
  });

  it('refuses a file written by a newer build with store.too-new', () => {
    migrate(db);
    db.pragma('user_version = 99');
    expect(() => migrate(db)).toThrow(expect.objectContaining({ code: 'store.too-new' }));
  });
});

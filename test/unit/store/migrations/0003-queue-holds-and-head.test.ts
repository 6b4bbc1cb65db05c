import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWritable, schemaVersion } from '../../../../electron/services/store/db';
import type { WritableDb } from '../../../../electron/services/store/db';
import { appendEntry, verifyJournal } from '../../../../electron/services/store/journal';
import { LATEST_VERSION, migrate } from '../../../../electron/services/store/migrations';
import { sampleEntry, tempDir } from '../helpers';

describe('migration 0003-queue-holds-and-head', () => {
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

  it('keeps version-2 queue rows (ids, states, payloads) and the journal intact', () => {
    migrate(db, { to: 2 });
    appendEntry(db, sampleEntry(1), Date.parse('2026-01-01T00:00:00Z'));
    const insert = db.prepare(
      "INSERT INTO offline_queue (idempotency_key, kind, payload_json, state, attempts, created_at, updated_at) VALUES (?, 'write-mapping', ?, ?, ?, 't', 't')",
    );
    insert.run('a', '{"userId":"u-1"}', 'done', 1);
    insert.run('b', '{"userId":"u-2"}', 'failed-permanent', 2);
    insert.run('c', '{"userId":"u-3"}', 'pending', 0);
    const before = verifyJournal(db);
    const rowsBefore = db.prepare('SELECT id, idempotency_key, payload_json, state, attempts FROM offline_queue').all();

    expect(migrate(db)).toEqual([3]);
    expect(schemaVersion(db)).toBe(3);
    expect(LATEST_VERSION).toBe(3);
    expect(db.prepare('SELECT id, idempotency_key, payload_json, state, attempts FROM offline_queue').all()).toEqual(
      rowsBefore,
    );
    expect(verifyJournal(db)).toEqual(before);
    // AUTOINCREMENT goes on after the copied ids.
    insert.run('d', '{}', 'pending', 0);
    expect(db.prepare("SELECT id FROM offline_queue WHERE idempotency_key = 'd'").get()).toEqual({ id: 4 });
  });

  it('accepts the two new states and still refuses unknown ones', () => {
    migrate(db);
    const insert = db.prepare(
      "INSERT INTO offline_queue (idempotency_key, kind, payload_json, state, created_at, updated_at) VALUES (?, 'write-mapping', '{}', ?, 'x', 'x')",
    );
    insert.run('k1', 'needs-confirmation');
    insert.run('k2', 'dismissed');
    expect(() => insert.run('k3', 'forgotten')).toThrow(/CHECK/);
  });

  it('refuses moving the journal head backwards, not forwards', () => {
    migrate(db);
    for (let n = 1; n <= 3; n += 1) {
      appendEntry(db, sampleEntry(n), Date.parse('2026-01-01T00:00:00Z'));
    }
    expect(() => db.exec('UPDATE journal_head SET seq = 2')).toThrow(/cannot move back/);
    expect(db.prepare('SELECT seq FROM journal_head').get()).toEqual({ seq: 3 });
    appendEntry(db, sampleEntry(4), Date.parse('2026-01-01T00:00:00Z'));
    expect(db.prepare('SELECT seq FROM journal_head').get()).toEqual({ seq: 4 });
  });
});

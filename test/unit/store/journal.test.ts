import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { AppError } from '../../../shared/errors';
import { entryHash, GENESIS_PREV_HASH } from '../../../electron/services/store/chain';
import type { StoreService } from '../../../electron/services/store';
import { openStore, rawAll, sampleEntry, tamper, tempDir } from './helpers';

type Row = { seq: number; entryJson: string; prevHash: string; hash: string };
const ROWS = 'SELECT seq, entry_json AS entryJson, prev_hash AS prevHash, hash FROM journal ORDER BY seq';

describe('store journal', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let store: StoreService;

  beforeEach(async () => {
    dir = tempDir();
    file = join(dir.dir, 'live', 'psc-assistant.db');
    store = openStore(file);
    for (let n = 1; n <= 10; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  /** Close the app's connection, edit the file, reopen and verify. */
  async function verifyAfter(edit: Parameters<typeof tamper>[1]) {
    store.close();
    tamper(file, edit);
    store = openStore(file);
    return store.journal.verify();
  }

  const summary = (problems: readonly { seq: number; kind: string }[]) => problems.map((p) => `${p.kind}:${p.seq}`);

  it('chains entries: seq from 1, genesis of 64 zeros, hash = SHA-256(prevHash || canonical text)', () => {
    const rows = rawAll(file, ROWS) as Row[];
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4, 5, 6, 7, 8, 9, 10]);
    expect(rows[0]?.prevHash).toBe(GENESIS_PREV_HASH);
    rows.forEach((row, i) => {
      expect(row.hash).toBe(entryHash(row.prevHash, row.entryJson));
      expect(row.prevHash).toBe(i === 0 ? GENESIS_PREV_HASH : rows[i - 1]?.hash);
      expect(JSON.parse(row.entryJson)).toMatchObject({ seq: row.seq });
    });
  });

  it('stores canonical JSON (sorted keys) and fills `at` from the clock', async () => {
    const entry = await store.journal.append({ ...sampleEntry(11), details: { z: 1, a: 2 } });
    const [row] = rawAll(file, 'SELECT entry_json AS entryJson FROM journal WHERE seq = ?', entry.seq) as Row[];
    expect(row?.entryJson.startsWith('{"agent":{"oid"')).toBe(true);
    expect(row?.entryJson).toContain('"details":{"a":2,"z":1}');
    expect(entry.at).toMatch(/^2026-03-01T08:00:\d\d\.000Z$/);
  });

  it('reports an intact journal with its head', async () => {
    const report = await store.journal.verify();
    const rows = rawAll(file, ROWS) as Row[];
    expect(report).toEqual({
      ok: true,
      entries: 10,
      head: { seq: 10, hash: rows[9]?.hash },
      problems: [],
      truncated: false,
    });
  });

  it('refuses UPDATE and DELETE through its triggers', () => {
    store.close();
    expect(() => rawAll(file, "UPDATE journal SET entry_json = '{}' WHERE seq = 1 RETURNING seq")).toThrow(
      /append-only/,
    );
    expect(() => rawAll(file, 'DELETE FROM journal WHERE seq = 1 RETURNING seq')).toThrow(/append-only/);
    store = openStore(file);
  });

  it('names an entry whose text was edited', async () => {
    const report = await verifyAfter(
      "UPDATE journal SET entry_json = replace(entry_json, 'praticien.4@', 'intrus@') WHERE seq = 4",
    );
    expect(report.ok).toBe(false);
    expect(summary(report.problems)).toEqual(['altered:4']);
  });

  it('names an entry that was edited and re-hashed (its successor no longer links to it)', async () => {
    const report = await verifyAfter((db) => {
      const row = db.prepare(ROWS.replace('ORDER BY seq', 'WHERE seq = 6')).get() as Row;
      const forged = row.entryJson.replace('praticien.6@', 'intrus@');
      db.prepare('UPDATE journal SET entry_json = ?, hash = ? WHERE seq = 6').run(
        forged,
        entryHash(row.prevHash, forged),
      );
    });
    expect(summary(report.problems)).toEqual(['altered:6']);
    expect(report.problems[0]?.detail).toContain('ré-empreinte');
  });

  it('names the last entry re-hashed, against the recorded head', async () => {
    const report = await verifyAfter((db) => {
      const row = db.prepare(ROWS.replace('ORDER BY seq', 'WHERE seq = 10')).get() as Row;
      const forged = row.entryJson.replace('mapping-written', 'mapping-removed');
      db.prepare('UPDATE journal SET entry_json = ?, hash = ? WHERE seq = 10').run(
        forged,
        entryHash(row.prevHash, forged),
      );
    });
    expect(summary(report.problems)).toEqual(['altered:10']);
  });

  it('names an unreadable entry', async () => {
    const report = await verifyAfter("UPDATE journal SET entry_json = 'pas du JSON' WHERE seq = 2");
    expect(summary(report.problems)).toEqual(['altered:2']);
  });

  it('names a deleted entry', async () => {
    const report = await verifyAfter('DELETE FROM journal WHERE seq = 5');
    expect(summary(report.problems)).toEqual(['removed:5']);
    expect(report.entries).toBe(9);
  });

  it('names a deleted entry even when the following rows were renumbered to hide the gap', async () => {
    const report = await verifyAfter(
      'DELETE FROM journal WHERE seq = 5; UPDATE journal SET seq = -seq WHERE seq > 5; UPDATE journal SET seq = -seq - 1 WHERE seq < 0;',
    );
    expect(summary(report.problems)).toEqual(['removed:5']);
  });

  it('names entries cut off the end, against the recorded head', async () => {
    const report = await verifyAfter('DELETE FROM journal WHERE seq >= 9');
    expect(summary(report.problems)).toEqual(['removed:9', 'removed:10']);
  });

  it('names both entries of a swapped pair', async () => {
    const report = await verifyAfter(
      'UPDATE journal SET seq = -3 WHERE seq = 3; UPDATE journal SET seq = 3 WHERE seq = 4; UPDATE journal SET seq = 4 WHERE seq = -3;',
    );
    expect(summary(report.problems)).toEqual(['reordered:3', 'reordered:4']);
  });

  it('names a forged genesis link', async () => {
    const report = await verifyAfter(`UPDATE journal SET prev_hash = '${'f'.repeat(64)}' WHERE seq = 1`);
    expect(summary(report.problems)).toEqual(['bad-genesis:1']);
  });

  it('names a forged genesis even when the first entry was re-hashed', async () => {
    const report = await verifyAfter((db) => {
      const row = db.prepare(ROWS.replace('ORDER BY seq', 'WHERE seq = 1')).get() as Row;
      const origin = 'a'.repeat(64);
      db.prepare('UPDATE journal SET prev_hash = ?, hash = ? WHERE seq = 1').run(
        origin,
        entryHash(origin, row.entryJson),
      );
    });
    expect(summary(report.problems)).toEqual(['bad-genesis:1']);
  });

  it('names an entry whose link column alone was changed', async () => {
    const report = await verifyAfter(`UPDATE journal SET prev_hash = '${'e'.repeat(64)}' WHERE seq = 7`);
    expect(summary(report.problems)).toEqual(['altered:7']);
    expect(report.problems[0]?.detail).toContain('lien');
  });

  it('names every problem when several tamperings are combined', async () => {
    const report = await verifyAfter(
      "DELETE FROM journal WHERE seq = 2; UPDATE journal SET entry_json = replace(entry_json, 'u-8', 'u-0') WHERE seq = 8;",
    );
    expect(summary(report.problems)).toEqual(['removed:2', 'altered:8']);
  });

  it('assertIntact throws store.tampered with the problems', async () => {
    await verifyAfter('DELETE FROM journal WHERE seq = 3');
    const error = await store.journal.assertIntact().catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    expect((error as AppError).code).toBe('store.tampered');
    expect((error as AppError).details).toMatchObject({ count: 1, problems: [{ seq: 3, kind: 'removed' }] });
  });

  it('keeps chaining correctly after a reopen', async () => {
    store.close();
    store = openStore(file);
    await store.journal.append(sampleEntry(11));
    expect(await store.journal.verify()).toMatchObject({ ok: true, entries: 11, head: { seq: 11 } });
  });

  it.each([
    ['an unknown kind', { ...sampleEntry(1), kind: 'mapping-exploded' }],
    ['an unknown key', { ...sampleEntry(1), extra: true }],
    ['a bad date', { ...sampleEntry(1), at: 'hier' }],
    ['a non-hex serial', { ...sampleEntry(1), card: { ...sampleEntry(1).card, serialHex: 'zz' } }],
    ['an empty agent UPN', { ...sampleEntry(1), agent: { upn: '', oid: 'o', tenantId: 't' } }],
  ])('refuses %s with store.invalid-entry and writes nothing', async (_name, entry) => {
    const error = await store.journal.append(entry as never).catch((e: unknown) => e);
    expect((error as AppError).code).toBe('store.invalid-entry');
    expect((await store.journal.verify()).entries).toBe(10);
  });

  it('refuses an entry over 64 KB', async () => {
    const error = await store.journal
      .append({ ...sampleEntry(1), details: { blob: 'x'.repeat(70_000) } })
      .catch((e: unknown) => e);
    expect((error as AppError).details).toMatchObject({ reason: 'too-large' });
  });

  it('keeps one chain when two connections (two app windows, or the app and the CLI) append in turn', async () => {
    const other = openStore(file);
    try {
      for (let n = 11; n <= 20; n += 1) {
        await (n % 2 === 0 ? store : other).journal.append(sampleEntry(n));
      }
      expect(await other.journal.verify()).toMatchObject({ ok: true, entries: 20, head: { seq: 20 } });
    } finally {
      other.close();
    }
  });

  it('lists entries in pages', async () => {
    const first = await store.journal.list({ limit: 4 });
    const next = await store.journal.list({ afterSeq: 4, limit: 4 });
    expect(first.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(next.map((e) => e.seq)).toEqual([5, 6, 7, 8]);
    expect(next[0]?.user?.upn).toBe('praticien.5@chu-exemple.fr');
  });
});

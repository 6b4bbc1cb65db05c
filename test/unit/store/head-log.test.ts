import { appendFileSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  appendCheckpoint,
  HEAD_LOG_FILE_NAME,
  headLogPathFor,
  lastCheckpoint,
  parseCheckpoint,
} from '../../../electron/services/store/head-log';
import { openJournalReader } from '../../../electron/services/store';
import { appendEntry } from '../../../electron/services/store/journal';
import type { StoreService } from '../../../electron/services/store';
import { openStore, sampleEntry, tamper, tempDir } from './helpers';

const HASH = 'ab'.repeat(32);

describe('journal head checkpoints (outside the database)', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let log: string;
  let store: StoreService;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.dir, 'psc.db');
    log = join(dir.dir, 'psc.journal-head.log');
    store = openStore(file);
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  it.each([
    ['/data/live/psc-assistant.db', `/data/live/${HEAD_LOG_FILE_NAME}`],
    ['/data/run-1-agent-0.db', '/data/run-1-agent-0.journal-head.log'],
    ['/data/copie', '/data/copie.journal-head.log'],
    [':memory:', null],
  ])('keeps the checkpoints of %s in %s', (db, expected) => {
    expect(headLogPathFor(db)).toBe(expected);
  });

  it.each([
    ['5 ' + HASH + ' 2026-01-01T00:00:00.000Z', { seq: 5, hash: HASH, at: '2026-01-01T00:00:00.000Z' }],
    ['12 ' + HASH + ' t\r', { seq: 12, hash: HASH, at: 't' }],
    ['0 ' + HASH + ' t', undefined],
    ['5 ' + HASH.slice(0, 40), undefined],
    ['5 ' + HASH.toUpperCase() + ' t', undefined],
    ['', undefined],
    ['cinq ' + HASH + ' t', undefined],
  ])('parses %j', (line, expected) => {
    expect(parseCheckpoint(line)).toEqual(expected);
  });

  it('writes one line per committed batch that moved the head, matching the journal', async () => {
    await store.journal.append(sampleEntry(1));
    await store.journal.append(sampleEntry(2));
    await store.queue.enqueue({ idempotencyKey: 'k', kind: 'write-mapping', payload: {} }, sampleEntry(3, 'queued'));
    await store.queue.enqueue({ idempotencyKey: 'k', kind: 'write-mapping', payload: {} }, sampleEntry(4, 'queued'));
    const lines = readFileSync(log, 'utf8').trim().split('\n');
    expect(lines.map((l) => parseCheckpoint(l)?.seq)).toEqual([1, 2, 3]);
    const report = await store.journal.verify();
    expect(report).toMatchObject({ ok: true, head: { seq: 3 } });
    expect(lastCheckpoint(log)).toMatchObject({ seq: 3, hash: report.head?.hash });
  });

  it('reports a cut-off tail whose head was rewritten in the database as truncated', async () => {
    for (let n = 1; n <= 5; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
    store.close();
    tamper(
      file,
      `DELETE FROM journal WHERE seq = 5;
      UPDATE journal_head SET seq = 4, hash = (SELECT hash FROM journal WHERE seq = 4);`,
    );
    const reader = openJournalReader(file);
    try {
      const report = reader.verify();
      expect(report.ok).toBe(false);
      expect(report.problems).toEqual([expect.objectContaining({ seq: 5, kind: 'truncated' })]);
    } finally {
      reader.close();
    }
    store = openStore(file);
    // Opening the store again does not bless the shorter journal: the checkpoint stays ahead.
    expect((await store.journal.verify()).problems.map((p) => p.kind)).toEqual(['truncated']);
    expect(lastCheckpoint(log)?.seq).toBe(5);
  });

  it('reports a rewritten history that still reaches the checkpoint as altered', async () => {
    for (let n = 1; n <= 3; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
    store.close();
    // Replace the last entry by another one, properly chained and re-hashed: the chain alone looks intact.
    tamper(file, (db) => {
      db.exec('DELETE FROM journal WHERE seq = 3');
      appendEntry(db, sampleEntry(9), Date.parse('2026-03-01T09:00:00Z'));
    });
    const reader = openJournalReader(file, { headLogPath: null });
    try {
      expect(reader.verify().ok).toBe(true);
    } finally {
      reader.close();
    }
    const checked = openJournalReader(file);
    try {
      expect(checked.verify().problems).toEqual([expect.objectContaining({ seq: 3, kind: 'altered' })]);
    } finally {
      checked.close();
    }
    store = openStore(file);
  });

  it('ignores a torn last line (crash while appending) and keeps the highest seq of racing writers', () => {
    appendCheckpoint(log, { seq: 7, hash: HASH, at: 't' });
    appendCheckpoint(log, { seq: 6, hash: HASH, at: 't' });
    appendFileSync(log, '8 abab');
    expect(lastCheckpoint(log)).toMatchObject({ seq: 7 });
  });

  it('reads only the tail of a long file', () => {
    const many = Array.from({ length: 5000 }, (_, i) => `${String(i + 1)} ${HASH} 2026-01-01T00:00:00.000Z\n`);
    writeFileSync(log, many.join(''));
    expect(lastCheckpoint(log)).toMatchObject({ seq: 5000 });
  });

  it('has no checkpoint without a file, and an in-memory store writes none', () => {
    rmSync(log, { force: true });
    expect(lastCheckpoint(log)).toBeUndefined();
    expect(lastCheckpoint(null)).toBeUndefined();
  });

  it('compares with a head kept elsewhere (--expect-head)', async () => {
    for (let n = 1; n <= 3; n += 1) {
      await store.journal.append(sampleEntry(n));
    }
    const head = (await store.journal.verify()).head;
    store.close();
    // An attacker who also deletes the checkpoint file and rewrites the tail is caught by the kept anchor.
    rmSync(log);
    tamper(
      file,
      'DELETE FROM journal WHERE seq = 3; UPDATE journal_head SET seq = 2, hash = (SELECT hash FROM journal WHERE seq = 2);',
    );
    const reader = openJournalReader(file);
    try {
      expect(reader.verify().ok).toBe(true);
      expect(reader.verify({ expectHead: { seq: 3, hash: head?.hash ?? '' } }).problems).toEqual([
        expect.objectContaining({ seq: 3, kind: 'truncated' }),
      ]);
      expect(reader.verify({ expectHead: { seq: 2, hash: HASH } }).problems).toEqual([
        expect.objectContaining({ seq: 2, kind: 'altered' }),
      ]);
    } finally {
      reader.close();
    }
    store = openStore(file);
  });
});

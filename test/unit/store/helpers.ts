import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { silentLogger } from '../../../shared/logging';
import { openWritable } from '../../../electron/services/store/db';
import type { WritableDb } from '../../../electron/services/store/db';
import { createStore } from '../../../electron/services/store';
import type { JournalEntryInput, StoreService } from '../../../electron/services/store';

/** A temporary folder removed by the returned cleanup. */
export function tempDir(prefix = 'psc-store-'): { dir: string; cleanup: () => void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return {
    dir,
    cleanup: () => {
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** A fixed clock that advances one second per reading (deterministic `at` values). */
export function steppingClock(startIso = '2026-03-01T08:00:00.000Z'): { now(): number } {
  let t = Date.parse(startIso);
  return {
    now: () => {
      t += 1000;
      return t;
    },
  };
}

/** Open a store on `filePath` with a deterministic clock and no logging. */
export function openStore(filePath: string, busyTimeoutMs?: number): StoreService {
  return createStore({
    filePath,
    clock: steppingClock(),
    logger: silentLogger,
    ...(busyTimeoutMs === undefined ? {} : { busyTimeoutMs }),
  });
}

/** A realistic journal entry (test card from the IGC-Santé test PKI), varied by `n`. */
export function sampleEntry(n: number, kind: JournalEntryInput['kind'] = 'mapping-written'): JournalEntryInput {
  return {
    kind,
    agent: {
      upn: 'admin.psc@chu-exemple.fr',
      oid: '7d0b1a52-5c1e-4a8e-9d0a-2f4c9a1b3e77',
      tenantId: 'c0ffee00-1111-2222-3333-444455556666',
    },
    card: {
      cardNumber: String(2_800_000_000 + n),
      identifier: `899700434${String(n).padStart(3, '0')}`,
      serialHex: '48efa06ba8127299499b069f133441b2',
      skiHex: 'a1b2c3d4e5f60718293a4b5c6d7e8f9001122334',
    },
    user: { id: `u-${String(n)}`, upn: `praticien.${String(n)}@chu-exemple.fr` },
    details: {
      value: `X509:<PN>8.99700434${String(n)}@carte-cps.fr`,
      displayName: `Dr Praticien ${String(n)}`,
      attempt: n,
    },
  };
}

/**
 * Edit the database file behind the application's back, the way an attacker with the file would: the triggers that
 * forbid UPDATE/DELETE are dropped first, then `sql` runs on a raw connection.
 */
export function tamper(filePath: string, edit: string | ((db: WritableDb) => void)): void {
  const db = openWritable(filePath);
  try {
    db.exec('DROP TRIGGER IF EXISTS journal_no_update; DROP TRIGGER IF EXISTS journal_no_delete;');
    db.exec('DROP TRIGGER IF EXISTS journal_head_no_delete; DROP TRIGGER IF EXISTS journal_head_no_rewind;');
    if (typeof edit === 'string') {
      db.exec(edit);
    } else {
      edit(db);
    }
  } finally {
    db.close();
  }
}

/** Run raw SQL (reads) on the file, for assertions about what is stored. */
export function rawAll(filePath: string, sql: string, ...params: unknown[]): unknown[] {
  const db = openWritable(filePath);
  try {
    return db.prepare(sql).all(...params);
  } finally {
    db.close();
  }
}

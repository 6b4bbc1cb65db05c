import { spawn } from 'node:child_process';
import { mkdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging';
import { createStore, openJournalReader } from '../../../electron/services/store';
import type { JournalEntry, QueueItem, StoreService } from '../../../electron/services/store';
import { mulberry32 } from './seeded-random';

const ROOT = join(import.meta.dirname, '..', '..', '..');
// Inside the repository so the bundle resolves the native better-sqlite3 from node_modules.
const WORK = join(ROOT, 'node_modules', '.cache', 'psc-store-crash', String(process.pid));
const WORKER = join(WORK, 'crash-worker.mjs');
const KILLS = 60;
const SEED = 20_260_301;

type RunResult = { acks: string[]; exited: 'killed' | 'finished' };

/** Run the worker once; kill it with SIGKILL after `afterAcks` acknowledgements or `afterMs` from spawn. */
function runWorker(db: string, seed: number, kill: { afterAcks?: number; afterMs?: number }): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [WORKER, db, String(seed), '400'], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: string[] = [];
    let buffer = '';
    let stderr = '';
    let killed = false;
    const killNow = () => {
      if (!killed) {
        killed = true;
        child.kill('SIGKILL');
      }
    };
    const timer = kill.afterMs === undefined ? undefined : setTimeout(killNow, kill.afterMs);
    child.stdout.setEncoding('utf8');
    child.stdout.on('data', (chunk: string) => {
      buffer += chunk;
      const lines = buffer.split('\n');
      buffer = lines.pop() ?? '';
      for (const line of lines) {
        acks.push(line);
        if (kill.afterAcks !== undefined && acks.length >= kill.afterAcks) {
          killNow();
        }
      }
    });
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (chunk: string) => (stderr += chunk));
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      clearTimeout(timer);
      if (signal === 'SIGKILL' || code === 0) {
        resolve({ acks, exited: signal === 'SIGKILL' ? 'killed' : 'finished' });
      } else {
        reject(new Error(`worker failed (code ${String(code)}): ${stderr}`));
      }
    });
  });
}

async function allItems(store: StoreService): Promise<QueueItem[]> {
  const items: QueueItem[] = [];
  for (let id = 1; ; id += 1) {
    const item = await store.queue.get(id);
    if (item === undefined) {
      return items;
    }
    items.push(item);
  }
}

async function allEntries(store: StoreService): Promise<JournalEntry[]> {
  const entries: JournalEntry[] = [];
  for (let page = await store.journal.list({ limit: 5000 }); page.length > 0;) {
    entries.push(...page);
    page = await store.journal.list({ afterSeq: page.at(-1)?.seq ?? 0, limit: 5000 });
  }
  return entries;
}

describe('store crash safety (SIGKILL at random points)', () => {
  const db = join(WORK, 'crash.db');
  beforeAll(async () => {
    mkdirSync(WORK, { recursive: true });
    await build({
      entryPoints: [join(import.meta.dirname, 'crash-worker.ts')],
      outfile: WORKER,
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      packages: 'external',
      logLevel: 'silent',
    });
  });
  afterAll(() => {
    rmSync(WORK, { recursive: true, force: true });
  });

  it(`loses nothing and duplicates nothing over ${String(KILLS)} kills`, async () => {
    const random = mulberry32(SEED);
    const acknowledged = { enqueued: new Set<string>(), done: new Set<number>(), permanent: new Set<number>() };
    let killedRuns = 0;
    for (let round = 0; round < KILLS; round += 1) {
      const kill =
        random() < 0.3 ? { afterMs: Math.floor(random() * 120) } : { afterAcks: 1 + Math.floor(random() * 40) };
      const result = await runWorker(db, SEED + round, kill);
      killedRuns += result.exited === 'killed' ? 1 : 0;
      for (const line of result.acks) {
        const [tag, a, b] = line.split(' ');
        if (tag === 'E' && a !== undefined) {
          acknowledged.enqueued.add(a);
        } else if (tag === 'D') {
          acknowledged.done.add(Number(a));
        } else if (tag === 'F' && b === 'true') {
          acknowledged.permanent.add(Number(a));
        } else if (tag === 'R') {
          // A replayed request is either a no-op or refused as a conflicting duplicate, never a second row.
          expect(['created?', 'store.duplicate']).toContain(b);
        }
      }

      // Read-only look at the file exactly as the killed process left it: the chain is intact.
      const reader = openJournalReader(db);
      const raw = reader.verify();
      reader.close();
      expect(raw.problems, `round ${String(round)}`).toEqual([]);

      // Reopen as the app does at startup (migrations + crash recovery) and check every invariant.
      const store = createStore({ filePath: db, clock: { now: () => Date.now() }, logger: silentLogger });
      try {
        const items = await allItems(store);
        const entries = await allEntries(store);
        const keys = items.map((i) => i.idempotencyKey);
        // Every key present exactly once, and keys are contiguous: nothing lost between two commits.
        expect(keys).toEqual(items.map((_, n) => `key-${String(n)}`));
        for (const key of acknowledged.enqueued) {
          expect(keys).toContain(key);
        }
        expect(items.filter((i) => i.state === 'in-flight')).toEqual([]);
        for (const id of acknowledged.done) {
          expect(items[id - 1]?.state).toBe('done');
        }
        for (const id of acknowledged.permanent) {
          expect(items[id - 1]?.state).toBe('failed-permanent');
        }
        // Queue changes and their journal entries were committed together, never one without the other.
        const queued = entries.filter((e) => e.kind === 'queued').map((e) => e.details.key);
        expect(queued).toEqual(keys);
        const replayed = entries.filter((e) => e.kind === 'replayed').map((e) => e.details.id);
        expect([...replayed].sort()).toEqual(
          items
            .filter((i) => i.state === 'done')
            .map((i) => i.id)
            .sort(),
        );
        for (const item of items) {
          const failures = entries.filter((e) => e.kind === 'replay-failed' && e.details.id === item.id).length;
          const completions = item.state === 'done' ? 1 : 0;
          // Each attempt ends in at most one outcome; an attempt cut by a crash has none.
          expect(failures + completions).toBeLessThanOrEqual(item.attempts);
        }
        expect((await store.journal.verify()).ok).toBe(true);
      } finally {
        store.close();
      }
    }
    // The seeded schedule must really have killed the worker mid-run, and done real work.
    expect(killedRuns).toBeGreaterThan(KILLS / 2);
    expect(acknowledged.enqueued.size).toBeGreaterThan(50);
    expect(acknowledged.done.size).toBeGreaterThan(10);
  });
});

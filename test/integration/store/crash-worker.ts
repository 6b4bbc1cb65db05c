/**
 * Child process for the crash test: performs seeded queue and journal operations in a loop and acknowledges each
 * committed one on stdout (pipes are synchronous on Linux, so an acknowledgement is only printed after the commit).
 * The parent kills it with SIGKILL at random points. Usage: node crash-worker.mjs <db> <seed> <maxOps>
 */
import { silentLogger } from '../../../shared/logging';
import { createStore } from '../../../electron/services/store';
import type { JournalEntryInput } from '../../../electron/services/store';
import { mulberry32 } from './seeded-random';

const agent = { upn: 'robot@chu-exemple.fr', oid: 'oid-robot', tenantId: 'tenant-test' };
const entry = (kind: JournalEntryInput['kind'], details: Record<string, string | number>): JournalEntryInput => ({
  kind,
  agent,
  details,
});

async function main(): Promise<void> {
  const [dbPath, seedText, maxOpsText] = process.argv.slice(2);
  if (dbPath === undefined) {
    throw new Error('usage: crash-worker <db> <seed> <maxOps>');
  }
  const random = mulberry32(Number(seedText));
  const maxOps = Number(maxOpsText);
  const ack = (line: string): void => {
    process.stdout.write(`${line}\n`);
  };
  const store = createStore({ filePath: dbPath, clock: { now: () => Date.now() }, logger: silentLogger });
  ack(`ready ${String(store.recoveredInFlight)}`);
  const inFlight: number[] = [];
  for (let op = 0; op < maxOps; op += 1) {
    const r = random();
    const counts = await store.queue.counts();
    const total = counts.pending + counts['in-flight'] + counts.done + counts['failed-permanent'];
    if (r < 0.4) {
      // Keys derive from what is committed, so a key is never skipped or reused across crashes.
      const key = `key-${String(total)}`;
      const outcome = await store.queue.enqueue(
        { idempotencyKey: key, kind: random() < 0.8 ? 'write-mapping' : 'remove-mapping', payload: { n: total } },
        entry('queued', { key }),
      );
      ack(`E ${key} ${String(outcome.created)}`);
    } else if (r < 0.48 && total > 0) {
      // Replaying an old request must change nothing.
      const key = `key-${String(Math.floor(random() * total))}`;
      const existing = await store.queue
        .enqueue({ idempotencyKey: key, kind: 'write-mapping', payload: { n: -1 } }, entry('queued', { key }))
        .catch((error: unknown) => error);
      ack(`R ${key} ${existing instanceof Error ? String((existing as { code?: string }).code) : 'created?'}`);
    } else if (r < 0.7) {
      const [next] = await store.queue.pending(1);
      if (next !== undefined) {
        const claimed = await store.queue.claim(next.id);
        if (claimed !== undefined) {
          inFlight.push(claimed.id);
          ack(`C ${String(claimed.id)}`);
        }
      }
    } else if (r < 0.88) {
      const id = inFlight.shift();
      if (id !== undefined) {
        await store.queue.complete(id, { status: 204 }, entry('replayed', { id }));
        ack(`D ${String(id)}`);
      }
    } else if (r < 0.96) {
      const id = inFlight.shift();
      if (id !== undefined) {
        const permanent = random() < 0.2;
        await store.queue.fail(id, 'graph.unavailable', permanent ? null : new Date(0), entry('replay-failed', { id }));
        ack(`F ${String(id)} ${String(permanent)}`);
      }
    } else {
      await store.journal.append(entry('card-read', { op }));
      ack('J');
    }
  }
  store.close();
  ack('end');
}

await main();

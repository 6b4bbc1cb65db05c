import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors';
import type { EnqueueInput, QueueItem, StoreService } from '../../../electron/services/store';
import { openStore, sampleEntry, tempDir } from './helpers';

const write = (key: string): EnqueueInput => ({ idempotencyKey: key, kind: 'write-mapping', payload: { userId: key } });

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('store queue: items the agent acts on', () => {
  let dir: { dir: string; cleanup: () => void };
  let file: string;
  let store: StoreService;
  beforeEach(() => {
    dir = tempDir();
    file = join(dir.dir, 'q.db');
    store = openStore(file);
  });
  afterEach(() => {
    store.close();
    dir.cleanup();
  });

  const claimed = async (key: string): Promise<QueueItem> => {
    const { item } = await store.queue.enqueue(write(key));
    const c = await store.queue.claim(item.id);
    if (c === undefined) {
      throw new Error('not claimed');
    }
    return c;
  };

  it('lists open items (pending, in flight, held, refused) but not done or dismissed ones', async () => {
    const done = await claimed('done');
    await store.queue.complete(done.id, {});
    const refused = await claimed('refused');
    await store.queue.fail(refused.id, 'enrollment.user-not-found', null);
    const held = await claimed('held');
    await store.queue.hold(held.id, { userId: 'u' }, 'enrollment.needs-confirmation');
    const flying = await claimed('flying');
    await store.queue.enqueue(write('pending'));
    const gone = await claimed('gone');
    await store.queue.fail(gone.id, 'x', null);
    await store.queue.dismiss(gone.id);
    const open = await store.queue.open();
    expect(open.map((i) => [i.idempotencyKey, i.state])).toEqual([
      ['refused', 'failed-permanent'],
      ['held', 'needs-confirmation'],
      ['flying', 'in-flight'],
      ['pending', 'pending'],
    ]);
    expect(open.find((i) => i.id === held.id)?.hold).toEqual({ userId: 'u' });
    expect(open.find((i) => i.id === flying.id)?.hold).toBeNull();
    // Held and refused items are not replayed.
    expect((await store.queue.pending()).map((i) => i.idempotencyKey)).toEqual(['pending']);
  });

  it('walks needs-confirmation → pending bound to the confirmed user, journaled in the same transaction', async () => {
    const item = await claimed('k');
    await store.queue.hold(
      item.id,
      { userId: 'u-1' },
      'enrollment.needs-confirmation',
      sampleEntry(1, 'held-for-confirmation'),
    );
    const confirmed = await store.queue.confirm(item.id, 'u-1', sampleEntry(2, 'queue-confirmed'));
    expect(confirmed).toMatchObject({ state: 'pending', confirmedUserId: 'u-1', hold: null, lastError: null });
    expect((await store.journal.list()).map((e) => e.kind)).toEqual(['held-for-confirmation', 'queue-confirmed']);
    expect(await codeOf(store.queue.confirm(item.id, 'u-1'))).toBe('store.invalid-transition');
  });

  it('retries only refused items and dismisses pending, held or refused ones, never in-flight ones', async () => {
    const item = await claimed('k');
    expect(await codeOf(store.queue.retry(item.id))).toBe('store.invalid-transition');
    expect(await codeOf(store.queue.dismiss(item.id, sampleEntry(1, 'queue-dismissed')))).toBe(
      'store.invalid-transition',
    );
    // The refused transition left no journal entry behind.
    expect(await store.journal.list()).toEqual([]);
    await store.queue.fail(item.id, 'mapping.limit-exceeded', null);
    expect(await store.queue.retry(item.id, sampleEntry(2, 'queue-retried'))).toMatchObject({
      state: 'pending',
      lastError: 'mapping.limit-exceeded',
    });
    expect(await store.queue.dismiss(item.id, sampleEntry(3, 'queue-dismissed'))).toMatchObject({ state: 'dismissed' });
    expect(await codeOf(store.queue.retry(item.id))).toBe('store.invalid-transition');
    expect(await codeOf(store.queue.dismiss(999))).toBe('store.not-found');
    expect((await store.queue.counts()).dismissed).toBe(1);
  });

  it('marks an in-flight item as maybe sent, which survives crash recovery', async () => {
    const item = await claimed('k');
    expect(item.sentAt).toBeNull();
    const marked = await store.queue.markSent(item.id);
    expect(marked.sentAt).not.toBeNull();
    store.close();
    store = openStore(file);
    expect(store.recoveredInFlight).toBe(1);
    const again = await store.queue.get(item.id);
    expect(again).toMatchObject({ state: 'pending', sentAt: marked.sentAt });
    expect(await codeOf(store.queue.markSent(item.id))).toBe('store.invalid-transition');
  });

  it('journals the claim built from the claimed item, and completes with several entries at once', async () => {
    const { item } = await store.queue.enqueue(write('k'));
    await store.queue.claim(item.id, (c) => ({ ...sampleEntry(1, 'attempt'), details: { attempt: c.attempts } }));
    const done = await store.queue.completeJournaled(item.id, { ok: true }, [
      sampleEntry(2, 'replayed'),
      sampleEntry(3, 'group-added'),
    ]);
    expect(done.item.state).toBe('done');
    expect(done.entries.map((e) => [e.seq, e.kind])).toEqual([
      [2, 'replayed'],
      [3, 'group-added'],
    ]);
    expect((await store.journal.list())[0]?.details).toEqual({ attempt: 1 });
    // A failing completion (already done) commits neither the state nor the entries.
    expect(await codeOf(store.queue.completeJournaled(item.id, {}, [sampleEntry(4, 'replayed')]))).toBe(
      'store.invalid-transition',
    );
    expect(await store.journal.list()).toHaveLength(3);
  });
});

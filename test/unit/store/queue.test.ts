import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { AppError } from '../../../shared/errors';
import type { EnqueueInput, StoreService } from '../../../electron/services/store';
import { openStore, rawAll, sampleEntry, tempDir } from './helpers';

const write = (key: string, userId = 'u-1'): EnqueueInput => ({
  idempotencyKey: key,
  kind: 'write-mapping',
  payload: { userId, values: [`X509:<PN>8.99700434378@carte-cps.fr`] },
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return undefined;
  } catch (error) {
    return (error as AppError).code;
  }
}

describe('store queue', () => {
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

  it('returns pending items oldest first', async () => {
    for (const key of ['k-c', 'k-a', 'k-b']) {
      await store.queue.enqueue(write(key));
    }
    expect((await store.queue.pending()).map((i) => i.idempotencyKey)).toEqual(['k-c', 'k-a', 'k-b']);
  });

  it('treats the same key with the same request as a no-op returning the existing item', async () => {
    const first = await store.queue.enqueue(write('k-1'), sampleEntry(1, 'queued'));
    const again = await store.queue.enqueue(
      { ...write('k-1'), payload: { values: ['X509:<PN>8.99700434378@carte-cps.fr'], userId: 'u-1' } },
      sampleEntry(1, 'queued'),
    );
    expect(first.created).toBe(true);
    expect(again).toEqual({ item: first.item, created: false });
    expect(await store.queue.pending()).toHaveLength(1);
    // Only the real insertion is journalled.
    expect((await store.journal.verify()).entries).toBe(1);
  });

  it('refuses the same key with a different request with store.duplicate', async () => {
    await store.queue.enqueue(write('k-1', 'u-1'));
    expect(await codeOf(store.queue.enqueue(write('k-1', 'u-2')))).toBe('store.duplicate');
    expect(await codeOf(store.queue.enqueue({ ...write('k-1'), kind: 'remove-mapping' }))).toBe('store.duplicate');
  });

  it('walks pending → in-flight → done, counting attempts and keeping the result', async () => {
    const { item } = await store.queue.enqueue(write('k-1'));
    const claimed = await store.queue.claim(item.id);
    expect(claimed).toMatchObject({ state: 'in-flight', attempts: 1 });
    expect(await store.queue.pending()).toEqual([]);
    const done = await store.queue.complete(item.id, { status: 204 });
    expect(done).toMatchObject({ state: 'done', attempts: 1, result: { status: 204 }, lastError: null });
    expect(await store.queue.counts()).toEqual({
      pending: 0,
      'in-flight': 0,
      done: 1,
      'failed-permanent': 0,
      'needs-confirmation': 0,
      dismissed: 0,
    });
  });

  it('puts a retryable failure back to pending with its retry time, and gives up when told to', async () => {
    const { item } = await store.queue.enqueue(write('k-1'));
    await store.queue.claim(item.id);
    const retry = await store.queue.fail(item.id, 'graph.throttled', new Date('2026-03-01T09:00:00.000Z'));
    expect(retry).toMatchObject({
      state: 'pending',
      lastError: 'graph.throttled',
      notBefore: '2026-03-01T09:00:00.000Z',
    });
    await store.queue.claim(item.id);
    const dead = await store.queue.fail(item.id, 'graph.forbidden', null);
    expect(dead).toMatchObject({ state: 'failed-permanent', attempts: 2, lastError: 'graph.forbidden' });
  });

  it('lists as due only the pending items whose retry time has come', async () => {
    const a = await store.queue.enqueue(write('k-a'));
    const b = await store.queue.enqueue(write('k-b'));
    await store.queue.enqueue(write('k-c'));
    await store.queue.claim(a.item.id);
    await store.queue.fail(a.item.id, 'graph.throttled', new Date('2026-03-01T07:00:00.000Z'));
    await store.queue.claim(b.item.id);
    await store.queue.fail(b.item.id, 'graph.throttled', new Date('2030-01-01T00:00:00.000Z'));
    // The test clock reads 2026-03-01T08:00:xx: a's retry time has passed, b's has not.
    expect((await store.queue.due()).map((i) => i.idempotencyKey)).toEqual(['k-a', 'k-c']);
    expect((await store.queue.pending()).map((i) => i.idempotencyKey)).toEqual(['k-a', 'k-b', 'k-c']);
  });

  it('claims an item only once', async () => {
    const { item } = await store.queue.enqueue(write('k-1'));
    expect(await store.queue.claim(item.id)).toBeDefined();
    expect(await store.queue.claim(item.id)).toBeUndefined();
  });

  it.each([
    ['complete a pending item', 'complete'],
    ['fail a pending item', 'fail'],
  ] as const)('refuses to %s with store.invalid-transition', async (_name, action) => {
    const { item } = await store.queue.enqueue(write('k-1'));
    const call = action === 'complete' ? store.queue.complete(item.id, null) : store.queue.fail(item.id, 'x', null);
    expect(await codeOf(call)).toBe('store.invalid-transition');
    expect((await store.queue.get(item.id))?.state).toBe('pending');
  });

  it('refuses to complete a done item and an unknown id', async () => {
    const { item } = await store.queue.enqueue(write('k-1'));
    await store.queue.claim(item.id);
    await store.queue.complete(item.id, null);
    expect(await codeOf(store.queue.complete(item.id, null))).toBe('store.invalid-transition');
    expect(await codeOf(store.queue.complete(9999, null))).toBe('store.not-found');
  });

  it('puts in-flight items back to pending when reopened after a crash', async () => {
    const a = await store.queue.enqueue(write('k-a'));
    const b = await store.queue.enqueue(write('k-b'));
    await store.queue.claim(a.item.id);
    await store.queue.claim(b.item.id);
    await store.queue.complete(b.item.id, null);
    store.close();
    store = openStore(file);
    expect(store.recoveredInFlight).toBe(1);
    expect(await store.queue.get(a.item.id)).toMatchObject({ state: 'pending', attempts: 1 });
    expect((await store.queue.get(b.item.id))?.state).toBe('done');
  });

  it('commits a queue change and its journal entry together, or neither', async () => {
    const { item } = await store.queue.enqueue(write('k-1'), sampleEntry(1, 'queued'));
    await store.queue.claim(item.id);
    const bad = { ...sampleEntry(2, 'replayed'), kind: 'nonsense' } as never;
    expect(await codeOf(store.queue.complete(item.id, { ok: true }, bad))).toBe('store.invalid-entry');
    // The completion was rolled back with the refused entry.
    expect((await store.queue.get(item.id))?.state).toBe('in-flight');
    await store.queue.complete(item.id, { ok: true }, sampleEntry(2, 'replayed'));
    const kinds = (await store.journal.list()).map((e) => e.kind);
    expect(kinds).toEqual(['queued', 'replayed']);
  });

  it('refuses a malformed enqueue with store.invalid-entry', async () => {
    expect(await codeOf(store.queue.enqueue({ idempotencyKey: '', kind: 'write-mapping', payload: {} }))).toBe(
      'store.invalid-entry',
    );
    expect(await codeOf(store.queue.enqueue({ ...write('k'), kind: 'delete-user' } as never))).toBe(
      'store.invalid-entry',
    );
  });

  it('stores payloads as canonical JSON', async () => {
    await store.queue.enqueue({ idempotencyKey: 'k', kind: 'remove-mapping', payload: { z: 1, a: { c: 2, b: 3 } } });
    expect(rawAll(file, 'SELECT payload_json AS p FROM offline_queue')).toEqual([{ p: '{"a":{"b":3,"c":2},"z":1}' }]);
  });
});

import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openStore, sampleEntry, tempDir } from '../store/helpers';

describe('store bulk-jobs', () => {
  it('keeps a job and its rows across a reopen, with each row done once and journalled in the same commit', async () => {
    const { dir, cleanup } = tempDir();
    const file = join(dir, 'psc.db');
    try {
      const store = openStore(file);
      await store.bulkJobs.create({ id: 'j1', label: 'lot.csv', agent: 'a@x.fr' }, [{ n: 0 }, { n: 1 }, { n: 2 }]);
      await store.bulkJobs.markWriting('j1', [0, 1]);
      await store.bulkJobs.complete('j1', [{ idx: 0, result: { status: 'written' } }], [sampleEntry(1)]);
      await expect(
        store.bulkJobs.complete('j1', [{ idx: 0, result: { status: 'written' } }], [sampleEntry(2)]),
      ).rejects.toMatchObject({ code: 'store.invalid-transition' });
      store.close();

      const reopened = openStore(file);
      expect(await reopened.bulkJobs.counts('j1')).toEqual({ pending: 1, writing: 1, done: 1 });
      expect((await reopened.bulkJobs.rows('j1', { unfinished: true })).map((r) => [r.idx, r.state])).toEqual([
        [1, 'writing'],
        [2, 'pending'],
      ]);
      // The refused second completion left no journal entry behind.
      expect((await reopened.journal.verify()).entries).toBe(1);
      expect((await reopened.bulkJobs.latestUnfinished())?.id).toBe('j1');
      await reopened.bulkJobs.setState('j1', 'paused', { reason: 'offline' });
      expect(await reopened.bulkJobs.get('j1')).toMatchObject({ state: 'paused', pause: { reason: 'offline' } });
      await reopened.bulkJobs.setState('j1', 'finished', null);
      expect(await reopened.bulkJobs.latestUnfinished()).toBeUndefined();
      await expect(reopened.bulkJobs.setState('nope', 'paused', null)).rejects.toMatchObject({
        code: 'store.not-found',
      });
      reopened.close();
    } finally {
      cleanup();
    }
  });
});

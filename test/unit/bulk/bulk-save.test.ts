import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { saveNextToSource } from '../../../electron/app/bulk-wiring';
import type { ResultsFs } from '../../../electron/app/bulk-wiring';

const ROOT = join('/', 'srv', 'import');

/** A file system with `dirs` as folders, `taken` as existing files, and `denied` folders that refuse writes. */
function fakeFs(options: { dirs?: string[]; taken?: string[]; denied?: string[] } = {}) {
  const written = new Map<string, string>();
  const taken = new Set(options.taken ?? []);
  const fs: ResultsFs = {
    stat: (path) => {
      if (path.includes('absent')) {
        return Promise.reject(Object.assign(new Error('ENOENT'), { code: 'ENOENT' }));
      }
      return Promise.resolve({ isDirectory: () => (options.dirs ?? []).includes(path) });
    },
    createFile: (path, text) => {
      if ((options.denied ?? []).some((d) => path.startsWith(d))) {
        return Promise.reject(Object.assign(new Error('EACCES'), { code: 'EACCES' }));
      }
      if (taken.has(path) || written.has(path)) {
        return Promise.reject(Object.assign(new Error('EEXIST'), { code: 'EEXIST' }));
      }
      written.set(path, text);
      return Promise.resolve();
    },
  };
  return { fs, written };
}

const input = (sourcePath: string, label: string) => ({
  sourcePath,
  label,
  csv: '\uFEFFLigne;État\r\n',
  fileName: 'lot-resultats-20261125-140509.csv',
});

describe('saveNextToSource', () => {
  it.each<[string, string, string, string[], string]>([
    ['a CSV: beside it', join(ROOT, 'lot.csv'), 'lot.csv', [], join(ROOT, 'lot-resultats-20261125-140509.csv')],
    [
      'a folder: inside it',
      join(ROOT, 'cartes'),
      'cartes',
      [join(ROOT, 'cartes')],
      join(ROOT, 'cartes', 'lot-resultats-20261125-140509.csv'),
    ],
  ])('writes the results of %s', async (_label, sourcePath, label, dirs, expected) => {
    const { fs, written } = fakeFs({ dirs });
    await expect(saveNextToSource(fs, input(sourcePath, label))).resolves.toBe(expected);
    expect(written.get(expected)).toBe('\uFEFFLigne;État\r\n');
  });

  it('never overwrites: a taken name gets -2, -3…', async () => {
    const first = join(ROOT, 'lot-resultats-20261125-140509.csv');
    const { fs, written } = fakeFs({ taken: [first, join(ROOT, 'lot-resultats-20261125-140509-2.csv')] });
    await expect(saveNextToSource(fs, input(join(ROOT, 'lot.csv'), 'lot.csv'))).resolves.toBe(
      join(ROOT, 'lot-resultats-20261125-140509-3.csv'),
    );
    expect(written.has(first)).toBe(false);
  });

  it.each<[string, Parameters<typeof fakeFs>[0], string, string, string]>([
    ['another file than the job’s source', {}, join(ROOT, 'autre.csv'), 'lot.csv', 'bulk.save-source-mismatch'],
    ['a source gone since', {}, join(ROOT, 'absent', 'lot.csv'), 'lot.csv', 'bulk.save-failed'],
    ['a folder that refuses writes', { denied: [ROOT] }, join(ROOT, 'lot.csv'), 'lot.csv', 'bulk.save-failed'],
    [
      'every name taken',
      {
        taken: Array.from({ length: 20 }, (_v, i) =>
          join(
            ROOT,
            i === 0 ? 'lot-resultats-20261125-140509.csv' : `lot-resultats-20261125-140509-${String(i + 1)}.csv`,
          ),
        ),
      },
      join(ROOT, 'lot.csv'),
      'lot.csv',
      'bulk.save-failed',
    ],
  ])('refuses %s with a typed error', async (_label, options, sourcePath, label, code) => {
    const { fs, written } = fakeFs(options);
    await expect(saveNextToSource(fs, input(sourcePath, label))).rejects.toMatchObject({ code });
    expect(written.size).toBe(0);
  });
});

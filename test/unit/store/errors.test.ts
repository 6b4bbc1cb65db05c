import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openWritable } from '../../../electron/services/store/db';
import { classifySqliteError } from '../../../electron/services/store/errors';
import { AppError } from '../../../shared/errors';
import { openStore, tempDir } from './helpers';

describe('store errors', () => {
  let dir: { dir: string; cleanup: () => void };
  beforeEach(() => {
    dir = tempDir();
  });
  afterEach(() => {
    dir.cleanup();
  });

  it('reports a file that is not SQLite as store.corrupt', () => {
    const file = join(dir.dir, 'not.db');
    writeFileSync(file, 'Ceci n’est pas une base de données SQLite, seulement du texte. '.repeat(200));
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'store.corrupt' }));
  });

  it('reports a damaged page as store.corrupt', () => {
    const file = join(dir.dir, 'broken.db');
    const store = openStore(file);
    store.close();
    const db = openWritable(file);
    db.pragma('journal_mode = DELETE');
    db.close();
    // Overwrite the schema page (page 1 after the 100-byte header) with garbage.
    const bytes = Buffer.alloc(3000, 0xa5);
    writeFileSync(file, bytes, { flag: 'r+' });
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'store.corrupt' }));
  });

  it('reports a database held by another writer as store.locked', async () => {
    const file = join(dir.dir, 'busy.db');
    const store = openStore(file, 50);
    const holder = openWritable(file);
    holder.exec('BEGIN IMMEDIATE');
    try {
      await expect(
        store.journal.append({ kind: 'card-read', agent: { upn: 'a@b.fr', oid: 'o', tenantId: 't' } }),
      ).rejects.toMatchObject({
        code: 'store.locked',
      });
    } finally {
      holder.exec('ROLLBACK');
      holder.close();
      store.close();
    }
  });

  it('reports a file from a newer build as store.too-new', () => {
    const file = join(dir.dir, 'new.db');
    openStore(file).close();
    const db = openWritable(file);
    db.pragma('user_version = 42');
    db.close();
    expect(() => openStore(file)).toThrow(expect.objectContaining({ code: 'store.too-new' }));
  });

  it.each([
    ['SQLITE_BUSY', 'store.locked'],
    ['SQLITE_LOCKED', 'store.locked'],
    ['SQLITE_CORRUPT', 'store.corrupt'],
    ['SQLITE_NOTADB', 'store.corrupt'],
  ])('classifies %s as %s and keeps the cause', (sqlite, code) => {
    const cause = Object.assign(new Error('x'), { code: sqlite });
    const error = classifySqliteError(cause);
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code, details: { sqlite }, cause });
  });

  it('leaves other errors unchanged (bugs are not user errors)', () => {
    const bug = new TypeError('boom');
    expect(classifySqliteError(bug)).toBe(bug);
  });
});

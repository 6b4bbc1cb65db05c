import { mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { silentLogger } from '../../../shared/logging';
import { createSessionStore, maxSavedAccounts } from '../../../electron/services/identity/session-store';
import type { SavedAccount, SavedSession } from '../../../electron/services/identity/session-store';

const account = (n: number): SavedAccount => ({
  homeAccountId: `oid-${String(n)}.tenant`,
  tenantId: 'tenant',
  username: `admin${String(n)}@clinique.fr`,
  name: `Admin ${String(n)}`,
  access: n % 2 === 0 ? 'fix' : 'read',
});

const session = (accounts: SavedAccount[]): SavedSession => ({
  version: 1,
  clientId: '6c0f7e1a-2b3c-4d5e-8f90-a1b2c3d4e5f6',
  active: accounts[0] === undefined ? null : { homeAccountId: accounts[0].homeAccountId, tenantId: 'tenant' },
  accounts,
});

describe('session store', () => {
  let dir: string;
  beforeEach(async () => {
    dir = await mkdtemp(join(tmpdir(), 'psc-session-store-'));
  });
  afterEach(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('reads back what it saved, and nothing before the first save', async () => {
    const store = createSessionStore({ filePath: join(dir, 'identity', 'session.json'), logger: silentLogger });
    expect(await store.load()).toBeUndefined();
    const saved = session([account(1), { ...account(2), tenantLabel: 'clinique.fr' }]);
    await store.save(saved);
    expect(await store.load()).toEqual(saved);
  });

  it('keeps the most recent accounts when there are too many', async () => {
    const store = createSessionStore({ filePath: join(dir, 'session.json'), logger: silentLogger });
    const many = Array.from({ length: maxSavedAccounts + 5 }, (_, i) => account(i));
    await store.save(session(many));
    expect((await store.load())?.accounts).toEqual(many.slice(5));
  });

  it.each([
    ['not JSON', '{"version":1,'],
    ['another version', JSON.stringify({ ...session([account(1)]), version: 2 })],
    ['an unknown access', JSON.stringify(session([{ ...account(1), access: 'admin' as 'fix' }]))],
    ['an extra field (a token)', JSON.stringify({ ...session([account(1)]), refreshToken: 'x' })],
    ['an account with a token', JSON.stringify(session([{ ...account(1), secret: 'x' } as SavedAccount]))],
  ])('sets aside a file with %s and starts without a session', async (_label, text) => {
    const filePath = join(dir, 'session.json');
    await writeFile(filePath, text);
    const store = createSessionStore({ filePath, logger: silentLogger });
    expect(await store.load()).toBeUndefined();
    const names = await readdir(dir);
    expect(names.some((name) => name.startsWith('session.json.corrupt-'))).toBe(true);
    expect(names).not.toContain('session.json');
    const aside = names.find((name) => name.startsWith('session.json.corrupt-')) ?? '';
    expect(await readFile(join(dir, aside), 'utf8')).toBe(text);
  });

  it('refuses to write a session off its schema', async () => {
    const store = createSessionStore({ filePath: join(dir, 'session.json'), logger: silentLogger });
    await expect(store.save({ ...session([account(1)]), clientId: '' })).rejects.toThrow();
    expect(await readdir(dir)).toEqual([]);
  });
});

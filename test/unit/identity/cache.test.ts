import { randomBytes } from 'node:crypto';
import { mkdtemp, readdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { TokenCacheContext } from '@azure/msal-node';
import {
  createFileCacheStore,
  createKeyedProtection,
  createMemoryCacheStore,
  createProtectedCachePlugin,
} from '../../../electron/services/identity/cache';
import { AppError } from '../../../shared/errors';

const fakeContext = (serialized: string, changed: boolean) => {
  const seen: string[] = [];
  const ctx = {
    cacheHasChanged: changed,
    tokenCache: {
      serialize: () => serialized,
      deserialize: (s: string) => {
        seen.push(s);
      },
    },
  } as unknown as TokenCacheContext;
  return { ctx, seen };
};

describe('identity cache protection', () => {
  it('round-trips through keyed protection and never stores the plain text', async () => {
    const p = createKeyedProtection(randomBytes(32));
    const plain = new TextEncoder().encode('{"AccessToken":{"secret-token-value":{}}}');
    const blob = await p.protect(plain);
    expect(Buffer.from(blob).includes(Buffer.from('secret-token-value'))).toBe(false);
    expect(new TextDecoder().decode(await p.unprotect(blob))).toBe('{"AccessToken":{"secret-token-value":{}}}');
  });

  it('rejects a tampered blob and a blob sealed with another key', async () => {
    const p = createKeyedProtection(randomBytes(32));
    const blob = await p.protect(new TextEncoder().encode('cache'));
    const tampered = Uint8Array.from(blob);
    tampered[tampered.length - 1] = (tampered[tampered.length - 1] ?? 0) ^ 1;
    await expect(p.unprotect(tampered)).rejects.toMatchObject({ code: 'identity.cache-protection' });
    await expect(createKeyedProtection(randomBytes(32)).unprotect(blob)).rejects.toMatchObject({
      code: 'identity.cache-protection',
    });
    await expect(p.unprotect(new Uint8Array([1, 2, 3]))).rejects.toBeInstanceOf(AppError);
  });

  it('refuses a key that is not 32 bytes', () => {
    expect(() => createKeyedProtection(randomBytes(16))).toThrow(AppError);
  });

  it('plugin persists only protected bytes and reloads them into a new cache', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'psc-cache-'));
    try {
      const key = randomBytes(32);
      const store = createFileCacheStore(join(dir, 'sub', 'cache.bin'));
      const plugin = createProtectedCachePlugin(store, createKeyedProtection(key), () => undefined);
      const first = fakeContext('{"RefreshToken":"rt-very-secret"}', true);
      await plugin.beforeCacheAccess(first.ctx);
      await plugin.afterCacheAccess(first.ctx);
      expect(await readdir(join(dir, 'sub'))).toEqual(['cache.bin']);
      const raw = await store.load();
      expect(Buffer.from(raw ?? new Uint8Array()).includes(Buffer.from('rt-very-secret'))).toBe(false);

      const again = createProtectedCachePlugin(store, createKeyedProtection(key), () => undefined);
      const second = fakeContext('', false);
      await again.beforeCacheAccess(second.ctx);
      expect(second.seen).toEqual(['{"RefreshToken":"rt-very-secret"}']);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it('starts empty (and reports) when the stored blob cannot be unprotected', async () => {
    const store = createMemoryCacheStore();
    await store.save(new Uint8Array([9, 9, 9, 9]));
    const errors: unknown[] = [];
    const plugin = createProtectedCachePlugin(store, createKeyedProtection(randomBytes(32)), (e) => errors.push(e));
    const ctx = fakeContext('', false);
    await plugin.beforeCacheAccess(ctx.ctx);
    expect(ctx.seen).toEqual([]);
    expect(errors).toHaveLength(1);
  });
});

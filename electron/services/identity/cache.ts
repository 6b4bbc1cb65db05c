/**
 * Token cache persistence behind a protection port: MSAL's serialized cache is encrypted before it reaches any
 * store, so tokens are never plain on disk. The Electron host implements `CacheProtection` with `safeStorage`.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { ICachePlugin, TokenCacheContext } from '@azure/msal-node';
import { AppError } from '../../../shared/errors';

/** Encrypts and decrypts the cache blob (Electron: `safeStorage`; CLI: a keychain-held key). */
export type CacheProtection = {
  protect(plain: Uint8Array): Promise<Uint8Array>;
  unprotect(blob: Uint8Array): Promise<Uint8Array>;
};

/** Where protected blobs live. */
export type CacheStore = {
  load(): Promise<Uint8Array | undefined>;
  save(blob: Uint8Array): Promise<void>;
};

/** A store that keeps the blob in memory only (nothing survives the process). */
export function createMemoryCacheStore(): CacheStore {
  let blob: Uint8Array | undefined;
  return {
    load: () => Promise.resolve(blob),
    save: (b) => {
      blob = b;
      return Promise.resolve();
    },
  };
}

/** A store writing the (already protected) blob to one file, atomically (write then rename). */
export function createFileCacheStore(filePath: string): CacheStore {
  return {
    load: async () => {
      try {
        return new Uint8Array(await readFile(filePath));
      } catch (error) {
        if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
          return undefined;
        }
        throw error;
      }
    },
    save: async (blob) => {
      await mkdir(dirname(filePath), { recursive: true });
      const tmp = `${filePath}.${randomBytes(4).toString('hex')}.tmp`;
      await writeFile(tmp, blob, { mode: 0o600 });
      await rename(tmp, filePath);
    },
  };
}

/** AES-256-GCM protection with a caller-held key (for hosts with a keychain; tests). */
export function createKeyedProtection(key: Uint8Array): CacheProtection {
  if (key.length !== 32) {
    throw new AppError('identity.cache-protection', { details: { reason: 'key must be 32 bytes' } });
  }
  return {
    protect: (plain) => {
      const iv = randomBytes(12);
      const cipher = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([cipher.update(plain), cipher.final()]);
      return Promise.resolve(new Uint8Array(Buffer.concat([Buffer.from('PSC1'), iv, cipher.getAuthTag(), body])));
    },
    unprotect: (blob) => {
      const b = Buffer.from(blob);
      if (b.subarray(0, 4).toString() !== 'PSC1' || b.length < 32) {
        return Promise.reject(new AppError('identity.cache-protection', { details: { reason: 'unknown format' } }));
      }
      try {
        const decipher = createDecipheriv('aes-256-gcm', key, b.subarray(4, 16));
        decipher.setAuthTag(b.subarray(16, 32));
        return Promise.resolve(new Uint8Array(Buffer.concat([decipher.update(b.subarray(32)), decipher.final()])));
      } catch (cause) {
        // Wrong key or altered bytes: GCM authentication fails.
        return Promise.reject(
          new AppError('identity.cache-protection', { details: { reason: 'authentication failed' }, cause }),
        );
      }
    },
  };
}

/**
 * MSAL cache plugin over a protected store. One in-memory copy is shared by the per-tenant MSAL clients, so they
 * all see every account; an unreadable blob (other machine, other key) starts an empty cache instead of failing.
 */
export function createProtectedCachePlugin(
  store: CacheStore,
  protection: CacheProtection,
  onError: (e: unknown) => void,
): ICachePlugin {
  let current: string | undefined;
  let loaded = false;
  let writes: Promise<void> = Promise.resolve();
  return {
    beforeCacheAccess: async (ctx: TokenCacheContext) => {
      if (!loaded) {
        loaded = true;
        try {
          const blob = await store.load();
          current = blob ? Buffer.from(await protection.unprotect(blob)).toString('utf8') : undefined;
        } catch (error) {
          onError(error);
          current = undefined;
        }
      }
      if (current !== undefined) {
        ctx.tokenCache.deserialize(current);
      }
    },
    afterCacheAccess: async (ctx: TokenCacheContext) => {
      if (!ctx.cacheHasChanged) {
        return;
      }
      current = ctx.tokenCache.serialize();
      const snapshot = current;
      // Serialize writes so an older snapshot never lands after a newer one.
      writes = writes.then(async () => {
        try {
          await store.save(await protection.protect(new TextEncoder().encode(snapshot)));
        } catch (error) {
          onError(error);
        }
      });
      await writes;
    },
  };
}

import { describe, expect, it } from 'vitest';
import type { KeychainModule } from '../../../electron/services/identity/keychain-store';
import { createKeychainCacheStore } from '../../../electron/services/identity/keychain-store';

/** A keychain with the msal-node-extensions persistence API, holding entries in a map (the OS keychain's role). */
function fakeExtensions(options: { refuse?: boolean } = {}) {
  const entries = new Map<string, string>();
  const configs: unknown[] = [];
  const module: KeychainModule = {
    DataProtectionScope: { CurrentUser: 'CurrentUser' },
    PersistenceCreator: {
      createPersistence: (config) => {
        configs.push(config);
        if (options.refuse === true) {
          return Promise.reject(new Error('Persistence check failed'));
        }
        const key = `${config.serviceName}/${config.accountName}`;
        return Promise.resolve({
          save: (contents) => {
            entries.set(key, contents);
            return Promise.resolve();
          },
          load: () => Promise.resolve(entries.get(key) ?? null),
        });
      },
    },
  };
  return { module, entries, configs };
}

describe('createKeychainCacheStore', () => {
  it('keeps the cache blob in the keychain entry, never in plaintext-file mode', async () => {
    const fake = fakeExtensions();
    const chosen = await createKeychainCacheStore({
      cachePath: '/tmp/marker',
      load: () => Promise.resolve(fake.module),
    });
    expect(chosen.kind).toBe('keychain');
    expect(await chosen.store.load()).toBeUndefined();
    const blob = new Uint8Array([0, 1, 2, 250, 255]);
    await chosen.store.save(blob);
    expect(await chosen.store.load()).toEqual(blob);
    expect(fake.entries.size).toBe(1);
    expect(fake.configs).toEqual([
      expect.objectContaining({ usePlaintextFileOnLinux: false, cachePath: '/tmp/marker' }),
    ]);
  });

  it.each([
    {
      name: 'the package is not installed',
      load: () => Promise.reject(new Error("Cannot find package '@azure/msal-node-extensions'")),
      reason: /Cannot find package/,
    },
    { name: 'the module has another shape', load: () => Promise.resolve({ something: 1 }), reason: /unexpected shape/ },
    {
      name: 'the keychain refuses the probe',
      load: () => Promise.resolve(fakeExtensions({ refuse: true }).module),
      reason: /Persistence check failed/,
    },
  ])('falls back to memory when $name', async ({ load, reason }) => {
    const chosen = await createKeychainCacheStore({ cachePath: '/tmp/marker', load });
    expect(chosen.kind).toBe('memory');
    expect(chosen.reason).toMatch(reason);
    await chosen.store.save(new Uint8Array([7]));
    expect(await chosen.store.load()).toEqual(new Uint8Array([7]));
  });
});

/**
 * Token cache in the OS keychain for the browser shell and the CLI (no Electron `safeStorage` there), through
 * `@azure/msal-node-extensions` when it is installed and loads: Keychain on macOS, DPAPI on Windows, libsecret on
 * Linux. The package is optional and imported dynamically; when it is missing, cannot load, or the keychain refuses
 * a probe write, tokens stay in memory only (never in a plain file).
 */
import type { CacheStore } from './cache';
import { createMemoryCacheStore } from './cache';

/** The part of a msal-node-extensions persistence this store uses. */
export type KeychainPersistence = {
  save(contents: string): Promise<void>;
  load(): Promise<string | null>;
};

/** The part of the `@azure/msal-node-extensions` module this store uses. */
export type KeychainModule = {
  PersistenceCreator: {
    createPersistence(config: {
      cachePath: string;
      dataProtectionScope: unknown;
      serviceName: string;
      accountName: string;
      usePlaintextFileOnLinux: boolean;
    }): Promise<KeychainPersistence>;
  };
  DataProtectionScope: { CurrentUser: unknown };
};

/** Which store was chosen, and why when it is the memory fallback. */
export type KeychainStoreResult = {
  readonly store: CacheStore;
  readonly kind: 'keychain' | 'memory';
  readonly reason?: string;
};

const moduleName = '@azure/msal-node-extensions';

/** Imports the optional package; the specifier is a variable so bundlers leave the import to run time. */
async function importExtensions(): Promise<unknown> {
  const specifier: string = moduleName;
  return (await import(/* @vite-ignore */ specifier)) as unknown;
}

function asKeychainModule(value: unknown): KeychainModule | undefined {
  const m = value as Partial<KeychainModule> | null;
  return typeof m?.PersistenceCreator?.createPersistence === 'function' && m.DataProtectionScope !== undefined
    ? (m as KeychainModule)
    : undefined;
}

/**
 * Builds the keychain-backed store, or the memory fallback. `cachePath` is the extension's change marker (it never
 * holds tokens: the plaintext-file mode on Linux is refused). The blob is base64 text in the keychain entry.
 */
export async function createKeychainCacheStore(input: {
  cachePath: string;
  serviceName?: string;
  accountName?: string;
  load?: () => Promise<unknown>;
}): Promise<KeychainStoreResult> {
  let persistence: KeychainPersistence;
  try {
    const extensions = asKeychainModule(await (input.load ?? importExtensions)());
    if (extensions === undefined) {
      return { store: createMemoryCacheStore(), kind: 'memory', reason: `${moduleName} has an unexpected shape` };
    }
    persistence = await extensions.PersistenceCreator.createPersistence({
      cachePath: input.cachePath,
      dataProtectionScope: extensions.DataProtectionScope.CurrentUser,
      serviceName: input.serviceName ?? 'Assistant PSC',
      accountName: input.accountName ?? 'msal-token-cache',
      usePlaintextFileOnLinux: false,
    });
  } catch (error) {
    return {
      store: createMemoryCacheStore(),
      kind: 'memory',
      reason: error instanceof Error ? error.message : String(error),
    };
  }
  return {
    kind: 'keychain',
    store: {
      load: async () => {
        const text = await persistence.load();
        return text === null || text.length === 0 ? undefined : new Uint8Array(Buffer.from(text, 'base64'));
      },
      save: (blob) => persistence.save(Buffer.from(blob).toString('base64')),
    },
  };
}

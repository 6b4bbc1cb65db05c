import { join } from 'node:path';
import type { AppMode } from '../../shared/contract/schemas';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import { createIdentityService } from '../services/identity';
import type { IdentityService } from '../services/identity';
import type { CacheProtection, CacheStore } from '../services/identity/cache';
import { createFileCacheStore, createMemoryCacheStore } from '../services/identity/cache';
import { createAutoConsentBrowser } from '../services/identity/demo-browser';
import { createKeychainCacheStore } from '../services/identity/keychain-store';
import type { SettingsService } from '../services/settings';
import { demoClientId } from './demo-cloud';
import type { DemoCloud } from './demo-cloud';

/** What a host adds: how to open the system browser, and how to protect the token cache at rest. */
export type IdentityHostHooks = {
  openExternal?: (url: string) => Promise<void>;
  /** Electron `safeStorage`; without it tokens stay in memory only, never on disk. */
  cacheProtection?: CacheProtection;
};

/** Where live mode signs in and reads; tests point it at the emulators (with their loopback CA). */
export type LiveCloud = {
  authorityHost: string;
  graphUrl: string;
  authorityCaCertPem?: string | undefined;
  graphCaCertPem?: string | undefined;
};

/** Microsoft's public cloud. */
export const microsoftCloud: LiveCloud = {
  authorityHost: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com',
};

/** An identity service, the client ID it was built with, and whether its tokens outlive the process. */
export type BuiltIdentity = {
  readonly service: IdentityService;
  readonly clientId: string;
  /** True when the token cache survives a restart (protected file or OS keychain): a session can be restored. */
  readonly persistent: boolean;
};

const passThrough: CacheProtection = {
  protect: (blob) => Promise.resolve(blob),
  unprotect: (blob) => Promise.resolve(blob),
};

/**
 * Builds the identity service for the mode. Demo: the emulated authority, the demo admin signed in without a page,
 * tokens in memory (emulator tokens are worthless after a restart). Live: the establishment's client ID, the system
 * browser, and the protected file cache (Electron `safeStorage`) or the OS keychain, else memory only.
 */
export async function buildIdentity(options: {
  mode: AppMode;
  dataDir: string;
  settings: SettingsService;
  hooks: IdentityHostHooks;
  liveCloud: LiveCloud;
  demoCloud: () => Promise<DemoCloud>;
  logger: Logger;
}): Promise<BuiltIdentity> {
  if (options.mode === 'demo') {
    const demo = await options.demoCloud();
    return {
      clientId: demoClientId,
      persistent: false,
      service: createIdentityService({
        clientId: demoClientId,
        cloud: { authorityHost: demo.authority.url, caCertPem: demo.authority.caCertPem },
        openBrowser: createAutoConsentBrowser({
          authorityUrl: demo.authority.url,
          caCertPem: demo.authority.caCertPem,
        }),
        cacheStore: createMemoryCacheStore(),
        cacheProtection: passThrough,
      }),
    };
  }
  const { clientId } = await options.settings.get();
  if (clientId === undefined) {
    throw new AppError('identity.client-id-missing');
  }
  const openExternal = options.hooks.openExternal;
  if (openExternal === undefined) {
    throw new AppError('identity.no-browser');
  }
  const cache = await liveCacheStore(options);
  return {
    clientId,
    persistent: cache.persistent,
    service: createIdentityService({
      clientId,
      cloud: { authorityHost: options.liveCloud.authorityHost, caCertPem: options.liveCloud.authorityCaCertPem },
      openBrowser: openExternal,
      cacheStore: cache.store,
      cacheProtection: options.hooks.cacheProtection ?? passThrough,
      onCacheError: (error) => {
        // Another machine's or another key's cache: start empty, the user signs in again.
        options.logger.warn('token cache unreadable', { error: String(error) });
      },
    }),
  };
}

/** Electron: the `safeStorage`-protected file; browser shell and CLI: the OS keychain when it loads, else memory. */
async function liveCacheStore(options: {
  dataDir: string;
  hooks: IdentityHostHooks;
  logger: Logger;
}): Promise<{ store: CacheStore; persistent: boolean }> {
  if (options.hooks.cacheProtection !== undefined) {
    return { store: createFileCacheStore(join(options.dataDir, 'identity', 'msal-cache.bin')), persistent: true };
  }
  const chosen = await createKeychainCacheStore({ cachePath: join(options.dataDir, 'identity', 'keychain-marker') });
  options.logger.info('token cache', {
    kind: chosen.kind,
    ...(chosen.reason === undefined ? {} : { reason: chosen.reason }),
  });
  return { store: chosen.store, persistent: chosen.kind === 'keychain' };
}

import { join } from 'node:path';
import type { AccessMode, AccountState } from '../../shared/contract/account';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { AppMode } from '../../shared/contract/schemas';
import { AppError } from '../../shared/errors';
import { createGraphService } from '../services/graph';
import type { GraphService } from '../services/graph';
import { createIdentityService } from '../services/identity';
import type { IdentityService } from '../services/identity';
import type { CacheProtection, CacheStore } from '../services/identity/cache';
import { createFileCacheStore, createMemoryCacheStore } from '../services/identity/cache';
import { createAutoConsentBrowser } from '../services/identity/demo-browser';
import { createKeychainCacheStore } from '../services/identity/keychain-store';
import { auditScopes, enrollmentScopes, fixScopes } from '../services/identity/scopes';
import { createLogger } from '../services/logging';
import type { SettingsService } from '../services/settings';
import { createTenantService } from '../services/tenant';
import { demoClientId, demoTenantDomain, startDemoCloud } from './demo-cloud';
import type { DemoCloud } from './demo-cloud';
import type { EventBus } from './event-bus';

/** What a host adds: how to open the system browser, and how to protect the token cache at rest. */
export type IdentityHostHooks = {
  openExternal?: (url: string) => Promise<void>;
  /** Electron `safeStorage`; without it tokens stay in memory only, never on disk. */
  cacheProtection?: CacheProtection;
};

type IdentityHandlers = Pick<
  Handlers,
  | 'account:get-state'
  | 'account:sign-in'
  | 'account:switch'
  | 'account:sign-out'
  | 'account:request-scopes'
  | 'account:cancel-sign-in'
  | 'tenant:get-overview'
>;

const writeScopes = new Set<string>([...fixScopes, ...enrollmentScopes]);

/** Where live mode signs in and reads; tests point it at the emulators (with their loopback CA). */
export type LiveCloud = {
  authorityHost: string;
  graphUrl: string;
  authorityCaCertPem?: string | undefined;
  graphCaCertPem?: string | undefined;
};

const microsoftCloud: LiveCloud = {
  authorityHost: 'https://login.microsoftonline.com',
  graphUrl: 'https://graph.microsoft.com',
};

/**
 * Sign-in and Graph wiring. Demo mode talks to the in-process emulators (started on first use) and signs the demo
 * admin in without a page; live mode talks to Microsoft with the establishment's client ID.
 */
export function wireIdentity(options: {
  mode: AppMode;
  dataDir: string;
  bus: EventBus;
  settings: SettingsService;
  hooks: IdentityHostHooks;
  /** Emulators already running (tests inspect their state); started on first use otherwise, and then owned here. */
  demoCloud?: Promise<DemoCloud> | undefined;
  /** Live mode's endpoints; Microsoft's public cloud unless a test injects the emulators. */
  liveCloud?: LiveCloud;
}) {
  const liveCloud = options.liveCloud ?? microsoftCloud;
  const logger = createLogger('identity');
  const isDemo = options.mode === 'demo';
  let demoCloud: Promise<DemoCloud> | undefined = options.demoCloud;
  const ownsDemoCloud = options.demoCloud === undefined;
  let identity: Promise<IdentityService> | undefined;
  // The client ID the live identity service was built with: tokens are issued to one app registration only.
  let identityClientId: string | undefined;
  // Keyed by home account and tenant: a consultant's guest tenant has its own access, Graph client and label.
  const accessByAccount = new Map<string, AccessMode>();
  const graphByAccount = new Map<string, GraphService>();
  const tenantLabels = new Map<string, string>();
  const keyOf = (a: { homeAccountId: string; tenantId: string }) => `${a.homeAccountId}|${a.tenantId}`;
  const labelled = <T extends { homeAccountId: string; tenantId: string }>(a: T) => {
    const label = tenantLabels.get(keyOf(a));
    return label === undefined ? a : { ...a, tenantLabel: label };
  };

  const cloud = () => {
    demoCloud ??= startDemoCloud();
    return demoCloud;
  };

  /** Browser shell and CLI in live mode: the OS keychain when msal-node-extensions loads, else memory only. */
  const keychainOrMemory = async (): Promise<CacheStore> => {
    const chosen = await createKeychainCacheStore({
      cachePath: join(options.dataDir, 'identity', 'keychain-marker'),
    });
    logger.info('token cache', {
      kind: chosen.kind,
      ...(chosen.reason === undefined ? {} : { reason: chosen.reason }),
    });
    return chosen.store;
  };

  const createIdentity = async (): Promise<IdentityService> => {
    const cacheStore =
      options.hooks.cacheProtection !== undefined
        ? createFileCacheStore(join(options.dataDir, 'identity', 'msal-cache.bin'))
        : isDemo
          ? // Emulator tokens have no business in the OS keychain.
            createMemoryCacheStore()
          : await keychainOrMemory();
    const cacheProtection: CacheProtection = options.hooks.cacheProtection ?? {
      protect: (blob) => Promise.resolve(blob),
      unprotect: (blob) => Promise.resolve(blob),
    };
    if (isDemo) {
      const demo = await cloud();
      return createIdentityService({
        clientId: demoClientId,
        cloud: { authorityHost: demo.authority.url, caCertPem: demo.authority.caCertPem },
        openBrowser: createAutoConsentBrowser({
          authorityUrl: demo.authority.url,
          caCertPem: demo.authority.caCertPem,
        }),
        cacheStore,
        cacheProtection,
        onCacheError: (error) => {
          logger.warn('token cache unreadable', { error: String(error) });
        },
      });
    }
    const { clientId } = await options.settings.get();
    if (clientId === undefined) {
      throw new AppError('identity.client-id-missing');
    }
    const openExternal = options.hooks.openExternal;
    if (openExternal === undefined) {
      throw new AppError('identity.no-browser');
    }
    identityClientId = clientId;
    return createIdentityService({
      clientId,
      cloud: { authorityHost: liveCloud.authorityHost, caCertPem: liveCloud.authorityCaCertPem },
      openBrowser: openExternal,
      cacheStore,
      cacheProtection,
    });
  };

  const getIdentity = () => {
    identity ??= createIdentity();
    identity.catch(() => {
      identity = undefined;
    });
    return identity;
  };

  const state = async (): Promise<AccountState> => {
    const service = identity === undefined ? undefined : await identity.catch(() => undefined);
    const active = service?.activeAccount() ?? null;
    return {
      accounts: service === undefined ? [] : (await service.listAccounts()).map(labelled),
      active: active === null ? null : labelled(active),
      access: active === null ? null : (accessByAccount.get(keyOf(active)) ?? 'read'),
      suggestedTenant: isDemo ? demoTenantDomain : null,
    };
  };

  const changed = async () => {
    const next = await state();
    options.bus.emit('account:changed', next);
    return next;
  };

  const graphFor = async (): Promise<GraphService> => {
    const service = await getIdentity();
    const active = service.activeAccount();
    if (active === undefined) {
      throw new AppError('identity.no-account');
    }
    const existing = graphByAccount.get(keyOf(active));
    if (existing !== undefined) {
      return existing;
    }
    const demo = isDemo ? await cloud() : undefined;
    const graph = createGraphService({
      baseUrl: demo?.graph.url ?? liveCloud.graphUrl,
      caCertPem: demo?.graph.caCertPem ?? liveCloud.graphCaCertPem,
      tenantId: active.tenantId,
      readScopes: auditScopes,
      tokens: (request) =>
        service.getAccessToken({
          scopes: request.scopes,
          claims: request.claims,
          homeAccountId: active.homeAccountId,
          tenantId: active.tenantId,
          ...(request.forceRefresh === true ? { forceRefresh: true } : {}),
        }),
      logger: createLogger('graph'),
    });
    graphByAccount.set(keyOf(active), graph);
    return graph;
  };

  const forgetAccount = (homeAccountId: string) => {
    // MSAL removes the home account with all its tenants: drop every tenant's client and access.
    for (const map of [graphByAccount, accessByAccount, tenantLabels] as const) {
      for (const key of [...map.keys()].filter((k) => k.startsWith(`${homeAccountId}|`))) {
        if (map === graphByAccount) {
          graphByAccount.get(key)?.close();
        }
        map.delete(key);
      }
    }
  };

  /**
   * A new client ID is another app registration: the old one's tokens and consents do not carry over. Sign every
   * account out (they would fail silently otherwise) and build the next identity service with the new ID.
   */
  const onClientIdChanged = async () => {
    const previous = identity;
    identity = undefined;
    identityClientId = undefined;
    const service = await previous?.catch(() => undefined);
    for (const account of service === undefined ? [] : await service.listAccounts()) {
      await service?.signOut(account.homeAccountId, account.tenantId).catch((error: unknown) => {
        logger.warn('sign-out after client ID change failed', { error: String(error) });
      });
      forgetAccount(account.homeAccountId);
    }
    logger.info('client ID changed: accounts signed out');
    await changed();
  };
  const unsubscribeSettings = isDemo
    ? () => undefined
    : options.settings.onChanged((next) => {
        if (identityClientId !== undefined && next.clientId !== identityClientId) {
          void onClientIdChanged();
        }
      });

  const handlers: IdentityHandlers = {
    'account:get-state': () => state(),
    'account:sign-in': async ({ tenant, access, method }) => {
      const service = await getIdentity();
      // Fix mode asks what enrolling needs; each configuration fix asks its own scope when it runs.
      const scopes = access === 'fix' ? [...auditScopes, ...enrollmentScopes] : [...auditScopes];
      const account =
        method === 'interactive'
          ? await service.signInInteractive({ tenant, scopes })
          : await service.signInWithDeviceCode({
              tenant,
              scopes,
              onPrompt: (prompt) => {
                options.bus.emit('account:device-code', {
                  userCode: prompt.userCode,
                  verificationUri: prompt.verificationUri,
                  expiresInSeconds: prompt.expiresInSeconds,
                });
              },
            });
      accessByAccount.set(keyOf(account), access);
      tenantLabels.set(keyOf(account), tenant);
      return changed();
    },
    'account:request-scopes': async ({ scopes, claims }) => {
      const service = await getIdentity();
      // Read scopes ride along so the refreshed token still serves audits; only the asked write scopes are added.
      const account = await service.requestScopes([...new Set([...auditScopes, ...scopes])], undefined, claims);
      if (scopes.some((scope) => writeScopes.has(scope))) {
        accessByAccount.set(keyOf(account), 'fix');
      }
      return changed();
    },
    'account:cancel-sign-in': async () => {
      // Nothing to cancel before the service exists; never create it (and start the demo cloud) just for this.
      const service = identity === undefined ? undefined : await identity.catch(() => undefined);
      return { cancelled: service?.cancelSignIn() ?? 0 };
    },
    'account:switch': async ({ homeAccountId, tenantId }) => {
      await (await getIdentity()).switchAccount(homeAccountId, tenantId);
      return changed();
    },
    'account:sign-out': async (input) => {
      const service = await getIdentity();
      const target = input?.homeAccountId ?? service.activeAccount()?.homeAccountId;
      await service.signOut(target, input?.tenantId);
      if (target !== undefined) {
        forgetAccount(target);
      }
      return changed();
    },
    'tenant:get-overview': async () => createTenantService(await graphFor()).overview(),
  };

  if (isDemo) {
    // Warm the emulators so the first sign-in is quick.
    void cloud().catch((error: unknown) => {
      logger.error('demo cloud failed to start', { error: String(error) });
    });
  }

  return {
    handlers,
    /** Graph for the signed-in account, and that account (enrollment acts and journals as it). */
    async graphForActiveAccount() {
      const graph = await graphFor();
      const account = (await getIdentity()).activeAccount();
      if (account === undefined) {
        throw new AppError('identity.no-account');
      }
      return { graph, account };
    },
    async close() {
      unsubscribeSettings();
      for (const graph of graphByAccount.values()) {
        graph.close();
      }
      if (demoCloud !== undefined && ownsDemoCloud) {
        await (await demoCloud).close();
      }
    },
  };
}

/**
 * Identity service: Microsoft Entra sign-in with MSAL Node (public client). Interactive authorization code + PKCE
 * through the system browser and a loopback redirect, device code as fallback, several accounts and tenants,
 * client capability `CP1`, claims challenges, incremental consent, and an encrypted token cache.
 */
import type { AccountInfo, AuthenticationResult, DeviceCodeRequest, INetworkModule } from '@azure/msal-node';
import { PublicClientApplication } from '@azure/msal-node';
import { AppError } from '../../../shared/errors';
import type { CloudSettings } from './authority';
import { resolveTenantAuthority } from './authority';
import type { CacheProtection, CacheStore } from './cache';
import { createProtectedCachePlugin } from './cache';
import { mapMsalError } from './errors';
import { createMsalNetworkModule } from './network';
import { createSignInControl } from './sign-in-control';
import { qualifyScopes } from './scopes';

/** A signed-in account as the app sees it. */
export type SignedInAccount = {
  readonly homeAccountId: string;
  readonly tenantId: string;
  readonly username: string;
  readonly name: string;
};

/** Device-code prompt shown to the user (or printed by the CLI). */
export type DeviceCodePrompt = {
  readonly userCode: string;
  readonly verificationUri: string;
  readonly message: string;
  readonly expiresInSeconds: number;
};

/** The identity service port. */
export type IdentityService = {
  /**
   * Interactive sign-in (system browser, loopback redirect). `tenant` is a tenant id or verified domain; `claims`
   * answers a conditional-access challenge that silent acquisition could not satisfy.
   */
  signInInteractive(input: {
    tenant: string;
    scopes: readonly string[];
    loginHint?: string;
    claims?: string | undefined;
  }): Promise<SignedInAccount>;
  /** Device-code sign-in; `onPrompt` receives the code to show. */
  signInWithDeviceCode(input: {
    tenant: string;
    scopes: readonly string[];
    onPrompt: (p: DeviceCodePrompt) => void;
  }): Promise<SignedInAccount>;
  /**
   * Asks for more scopes interactively (incremental consent before a fix or an enrollment), or satisfies a claims
   * challenge (`claims`) for the account.
   */
  requestScopes(
    scopes: readonly string[],
    homeAccountId?: string,
    claims?: string,
    tenantId?: string,
  ): Promise<SignedInAccount>;
  /** Cancels every sign-in in flight (browser or device code); they reject with `identity.cancelled`. */
  cancelSignIn(): number;
  listAccounts(): Promise<SignedInAccount[]>;
  activeAccount(): SignedInAccount | undefined;
  /** Makes an account active; `tenantId` picks one of its tenants (a guest tenant), default its home tenant. */
  switchAccount(homeAccountId: string, tenantId?: string): Promise<SignedInAccount>;
  /** Signs the person out: MSAL removes the home account with every tenant it holds. */
  signOut(homeAccountId?: string, tenantId?: string): Promise<void>;
  /** Access token for Graph, silently (cache or refresh token); `claims` answers a claims challenge. */
  getAccessToken(input: {
    scopes: readonly string[];
    claims?: string | undefined;
    homeAccountId?: string;
    /** Tenant of the account to act in (a guest tenant); default the active one, else the home tenant. */
    tenantId?: string | undefined;
    /** Skip cached tokens (Graph refused the last one with a plain 401). */
    forceRefresh?: boolean | undefined;
  }): Promise<string>;
};

/** Dependencies. */
export type IdentityServiceDeps = {
  readonly clientId: string;
  readonly cloud: CloudSettings;
  /** Opens the system browser (Electron: `shell.openExternal`; demo: the auto-consent helper). */
  readonly openBrowser: (url: string) => Promise<void>;
  readonly cacheStore: CacheStore;
  readonly cacheProtection: CacheProtection;
  readonly network?: INetworkModule;
  readonly onCacheError?: (error: unknown) => void;
  readonly now?: () => number;
  /** Bound of one sign-in (browser or device code); default 5 minutes. */
  readonly signInTimeoutMs?: number;
};

const toAccount = (a: AccountInfo): SignedInAccount => ({
  homeAccountId: a.homeAccountId,
  tenantId: a.tenantId,
  username: a.username,
  name: a.name ?? a.username,
});

/** Creates the identity service. */
export function createIdentityService(deps: IdentityServiceDeps): IdentityService {
  const network = deps.network ?? createMsalNetworkModule({ caCertPem: deps.cloud.caCertPem });
  const cachePlugin = createProtectedCachePlugin(
    deps.cacheStore,
    deps.cacheProtection,
    deps.onCacheError ?? (() => undefined),
  );
  const clients = new Map<string, Promise<{ pca: PublicClientApplication; tenantId: string }>>();
  let active: SignedInAccount | undefined;
  const tokenMemo = new Map<string, { token: string; refreshAt: number }>();
  const now = deps.now ?? (() => Date.now());
  const control = createSignInControl({ openBrowser: deps.openBrowser, timeoutMs: deps.signInTimeoutMs ?? 300_000 });

  const clientFor = (tenant: string) => {
    const key = tenant.toLowerCase();
    let entry = clients.get(key);
    if (!entry) {
      entry = (async () => {
        const t = await resolveTenantAuthority(deps.cloud, tenant, network);
        const pca = new PublicClientApplication({
          auth: {
            clientId: deps.clientId,
            authority: t.authority,
            knownAuthorities: t.knownAuthorities,
            authorityMetadata: t.authorityMetadata,
            cloudDiscoveryMetadata: t.cloudDiscoveryMetadata,
            clientCapabilities: ['CP1'],
          },
          cache: { cachePlugin },
          system: { networkClient: network },
        });
        return { pca, tenantId: t.tenantId };
      })();
      entry.catch(() => clients.delete(key));
      clients.set(key, entry);
    }
    return entry;
  };

  /**
   * Loads the shared cache into this client before a sign-in: MSAL adds a tenant profile to the home account only if
   * it finds that account in memory when the token arrives; otherwise a guest sign-in would replace the home tenant.
   */
  const loadCache = async (pca: PublicClientApplication): Promise<void> => {
    await pca.getTokenCache().getAllAccounts();
  };

  const remember = (result: AuthenticationResult | null): SignedInAccount => {
    if (!result?.account) {
      throw new AppError('identity.failed', { details: { reason: 'no account in result' } });
    }
    active = toAccount(result.account);
    // A fresh interactive grant (new scopes, a satisfied claims challenge) supersedes every memoized token.
    tokenMemo.clear();
    return active;
  };

  /**
   * The account as it exists in one tenant, with the MSAL client of that tenant's authority: a person is keyed by
   * home account and tenant, so a guest's tokens are asked of the guest tenant, never of their home tenant.
   */
  const findAccount = async (
    homeAccountId?: string,
    tenantId?: string,
  ): Promise<{ account: AccountInfo; pca: PublicClientApplication }> => {
    const id = homeAccountId ?? active?.homeAccountId;
    if (!id) {
      throw new AppError('identity.no-account');
    }
    const tenant = tenantId ?? (active?.homeAccountId === id ? active.tenantId : undefined) ?? id.split('.')[1] ?? '';
    const { pca } = await clientFor(tenant);
    // getAllAccounts lists one entry per tenant profile of each home account.
    const account = (await pca.getTokenCache().getAllAccounts()).find(
      (a) => a.homeAccountId === id && a.tenantId === tenant,
    );
    if (!account) {
      throw new AppError('identity.no-account', { details: { homeAccountId: id, tenantId: tenant } });
    }
    return { account, pca };
  };

  const interactive = async (tenant: string, scopes: readonly string[], loginHint?: string, claims?: string) => {
    const attempt = control.begin();
    try {
      const { pca } = await attempt.run(clientFor(tenant));
      await loadCache(pca);
      return remember(
        await attempt.run(
          pca.acquireTokenInteractive({
            scopes: qualifyScopes(scopes),
            openBrowser: attempt.openBrowser,
            ...(loginHint ? { loginHint } : {}),
            ...(claims ? { claims } : {}),
            successTemplate: '<p>Connexion réussie. Vous pouvez revenir à Assistant PSC.</p>',
            errorTemplate: '<p>La connexion a échoué. Revenez à Assistant PSC.</p>',
          }),
        ),
      );
    } catch (error) {
      throw mapMsalError(error, scopes, claims);
    }
  };

  return {
    signInInteractive: ({ tenant, scopes, loginHint, claims }) => interactive(tenant, scopes, loginHint, claims),
    async signInWithDeviceCode({ tenant, scopes, onPrompt }) {
      const attempt = control.begin();
      try {
        const { pca } = await attempt.run(clientFor(tenant));
        await loadCache(pca);
        // MSAL keeps (Object.assign) and polls this very object: setting `cancel` stops the polling loop.
        const request: DeviceCodeRequest = Object.assign(attempt.deviceRequest, {
          scopes: qualifyScopes(scopes),
          deviceCodeCallback: (r: Parameters<DeviceCodeRequest['deviceCodeCallback']>[0]) => {
            onPrompt({
              userCode: r.userCode,
              verificationUri: r.verificationUri,
              message: r.message,
              expiresInSeconds: r.expiresIn,
            });
          },
        });
        return remember(await attempt.run(pca.acquireTokenByDeviceCode(request)));
      } catch (error) {
        throw mapMsalError(error, scopes);
      }
    },
    async requestScopes(scopes, homeAccountId, claims, tenantId) {
      const { account } = await findAccount(homeAccountId, tenantId);
      return interactive(account.tenantId, scopes, account.username, claims);
    },
    cancelSignIn: () => control.cancelAll(),
    async listAccounts() {
      const seen = new Map<string, SignedInAccount>();
      // Any client reads the whole shared cache; `organizations` works before any tenant was used in this process.
      await clientFor('organizations');
      for (const entry of clients.values()) {
        const { pca } = await entry;
        for (const a of await pca.getTokenCache().getAllAccounts()) {
          seen.set(`${a.homeAccountId}|${a.tenantId}`, toAccount(a));
        }
      }
      return [...seen.values()];
    },
    activeAccount: () => active,
    async switchAccount(homeAccountId, tenantId) {
      const { account } = await findAccount(homeAccountId, tenantId ?? homeAccountId.split('.')[1]);
      active = toAccount(account);
      return active;
    },
    async signOut(homeAccountId, tenantId) {
      const { account } = await findAccount(homeAccountId, tenantId);
      tokenMemo.clear();
      // Each per-tenant MSAL client holds an in-memory copy of the shared cache (deserialize merges): remove everywhere.
      for (const entry of clients.values()) {
        const { pca } = await entry;
        const copy = await pca.getTokenCache().getAccountByHomeId(account.homeAccountId);
        if (copy) {
          await pca.getTokenCache().removeAccount(copy);
        }
      }
      if (active?.homeAccountId === account.homeAccountId) {
        active = undefined;
      }
    },
    async getAccessToken({ scopes, claims, homeAccountId, tenantId, forceRefresh }) {
      const id = homeAccountId ?? active?.homeAccountId ?? '';
      const tenant = tenantId ?? (active?.homeAccountId === id ? active.tenantId : id.split('.')[1]);
      const memoKey = `${id}|${tenant ?? ''}|${[...scopes].sort().join(' ')}`;
      const memo = claims || forceRefresh ? undefined : tokenMemo.get(memoKey);
      // Every Graph request asks for a token: skip MSAL (and the encrypted cache round trip) while one is fresh.
      if (memo && memo.refreshAt > now()) {
        return memo.token;
      }
      const { account, pca } = await findAccount(homeAccountId, tenant);
      try {
        const result = await pca.acquireTokenSilent({
          account,
          scopes: qualifyScopes(scopes),
          ...(claims ? { claims } : {}),
          ...(forceRefresh ? { forceRefresh } : {}),
        });
        const expires = result.expiresOn?.getTime() ?? now();
        if (tokenMemo.size > 100) {
          tokenMemo.clear();
        }
        tokenMemo.set(`${account.homeAccountId}|${account.tenantId}|${[...scopes].sort().join(' ')}`, {
          token: result.accessToken,
          refreshAt: expires - 5 * 60_000,
        });
        return result.accessToken;
      } catch (error) {
        throw mapMsalError(error, scopes, claims);
      }
    },
  };
}

export type { CacheProtection, CacheStore } from './cache';
export { createFileCacheStore, createKeyedProtection, createMemoryCacheStore } from './cache';
export type { CloudSettings } from './authority';
export { auditScopes, enrollmentScopes, fixScopes } from './scopes';
export { createMsalNetworkModule } from './network';
export { createAutoConsentBrowser } from './demo-browser';
export type { IdentityErrorCode } from './errors';

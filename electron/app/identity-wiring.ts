import type { AccountState } from '../../shared/contract/account';
import type { Handlers } from '../../shared/contract/dispatcher';
import type { AppMode } from '../../shared/contract/schemas';
import { AppError } from '../../shared/errors';
import { createGraphService } from '../services/graph';
import type { GraphService } from '../services/graph';
import type { IdentityService, SignedInAccount } from '../services/identity';
import { auditScopes, enrollmentScopes, fixScopes } from '../services/identity/scopes';
import { createLogger } from '../services/logging';
import type { SettingsService } from '../services/settings';
import { createTenantService } from '../services/tenant';
import { createAccountBook, keyOf, savedAccountView } from './account-book';
import { demoTenantDomain, startDemoCloud } from './demo-cloud';
import type { DemoCloud } from './demo-cloud';
import type { EventBus } from './event-bus';
import { buildIdentity, microsoftCloud } from './identity-factory';
import type { BuiltIdentity, IdentityHostHooks, LiveCloud } from './identity-factory';
import { createSessionKeeper } from './session-keeper';

export type { IdentityHostHooks, LiveCloud } from './identity-factory';

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

/**
 * Sign-in and Graph wiring. Demo mode talks to the in-process emulators (started on first use) and signs the demo
 * admin in without a page; live mode talks to Microsoft with the establishment's client ID and, when the token cache
 * outlives the process, brings the last active account back with its access after a restart.
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
  liveCloud?: LiveCloud | undefined;
}) {
  const logger = createLogger('identity');
  const isDemo = options.mode === 'demo';
  let demoCloud: Promise<DemoCloud> | undefined = options.demoCloud;
  const ownsDemoCloud = options.demoCloud === undefined;
  let identity: Promise<BuiltIdentity> | undefined;
  // Live mode builds the service once on its own (first state read) to bring a saved session back.
  let restoring: Promise<unknown> | undefined;
  const book = createAccountBook();
  const session = createSessionKeeper({ dataDir: options.dataDir, book, logger });
  const graphByAccount = new Map<string, GraphService>();

  const cloud = () => {
    demoCloud ??= startDemoCloud();
    return demoCloud;
  };

  const createIdentity = async (): Promise<BuiltIdentity> => {
    const built = await buildIdentity({
      mode: options.mode,
      dataDir: options.dataDir,
      settings: options.settings,
      hooks: options.hooks,
      liveCloud: options.liveCloud ?? microsoftCloud,
      demoCloud: cloud,
      logger,
    });
    if (!isDemo) {
      await session.open(built);
    }
    return built;
  };

  const getIdentity = async (): Promise<IdentityService> => {
    identity ??= createIdentity();
    identity.catch(() => {
      identity = undefined;
    });
    return (await identity).service;
  };

  /** The built service, without building it — except once in live mode with a client ID, to restore the session. */
  const existingIdentity = async (): Promise<IdentityService | undefined> => {
    // Every early caller waits for the same attempt, so none answers "nobody" while the session is coming back.
    restoring ??= isDemo
      ? Promise.resolve()
      : options.settings.get().then(({ clientId }) =>
          clientId === undefined
            ? undefined
            : getIdentity().catch((error: unknown) => {
                logger.warn('identity not ready at start', { error: String(error) });
              }),
        );
    await restoring;
    return identity === undefined ? undefined : (await identity.catch(() => undefined))?.service;
  };

  const state = async (): Promise<AccountState> => {
    const service = await existingIdentity();
    const active = service === undefined ? undefined : await session.activeOf(service);
    // Offline at start: show the saved account rather than nobody; its reads report « hors ligne ».
    const pending = session.pending();
    const shown = active ?? (pending === undefined ? undefined : savedAccountView(pending));
    const listed =
      service === undefined || (book.entries().length === 0 && active === undefined)
        ? []
        : await service.listAccounts().catch((error: unknown) => {
            logger.warn('accounts not listed', { error: String(error) });
            return book.entries().map(savedAccountView);
          });
    return {
      accounts: listed.map((account) => book.labelled(account)),
      active: shown === undefined ? null : book.labelled(shown),
      access: shown === undefined ? null : book.access(shown),
      suggestedTenant: isDemo ? demoTenantDomain : null,
    };
  };

  const changed = async (service?: IdentityService) => {
    await session.save(service);
    const next = await state();
    options.bus.emit('account:changed', next);
    return next;
  };

  const activeAccountOf = async (service: IdentityService): Promise<SignedInAccount> => {
    const active = await session.activeOf(service, { rethrow: true });
    if (active === undefined) {
      throw new AppError('identity.no-account');
    }
    return active;
  };

  const graphFor = async (): Promise<{ graph: GraphService; account: SignedInAccount }> => {
    const service = await getIdentity();
    const active = await activeAccountOf(service);
    const existing = graphByAccount.get(keyOf(active));
    if (existing !== undefined) {
      return { graph: existing, account: active };
    }
    const demo = isDemo ? await cloud() : undefined;
    const liveCloud = options.liveCloud ?? microsoftCloud;
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
    return { graph, account: active };
  };

  const forgetAccount = (homeAccountId: string) => {
    // MSAL removes the home account with all its tenants: drop every tenant's client, access and label.
    for (const key of [...graphByAccount.keys()].filter((k) => k.startsWith(`${homeAccountId}|`))) {
      graphByAccount.get(key)?.close();
      graphByAccount.delete(key);
    }
    book.forget(homeAccountId);
    session.dropPending(homeAccountId);
  };

  /**
   * A new client ID is another app registration: the old one's tokens and consents do not carry over. Sign every
   * account out (they would fail silently otherwise) and build the next identity service with the new ID.
   */
  const onClientIdChanged = async () => {
    const previous = identity;
    identity = undefined;
    await session.reset();
    const built = await previous?.catch(() => undefined);
    const service = built?.service;
    for (const account of service === undefined ? [] : await service.listAccounts().catch(() => [])) {
      await service?.signOut(account.homeAccountId, account.tenantId).catch((error: unknown) => {
        logger.warn('sign-out after client ID change failed', { error: String(error) });
      });
      forgetAccount(account.homeAccountId);
    }
    for (const entry of book.entries()) {
      forgetAccount(entry.homeAccountId);
    }
    logger.info('client ID changed: accounts signed out');
    await changed();
  };
  const unsubscribeSettings = isDemo
    ? () => undefined
    : options.settings.onChanged((next) => {
        void (identity ?? Promise.resolve(undefined))
          .catch(() => undefined)
          .then((built) => {
            if (built !== undefined && next.clientId !== built.clientId) {
              return onClientIdChanged();
            }
            return undefined;
          });
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
      session.dropPending();
      book.remember(account, { access, tenantLabel: tenant });
      return changed(service);
    },
    'account:request-scopes': async ({ scopes, claims }) => {
      const service = await getIdentity();
      await activeAccountOf(service);
      // Read scopes ride along so the refreshed token still serves audits; only the asked write scopes are added.
      const account = await service.requestScopes([...new Set([...auditScopes, ...scopes])], undefined, claims);
      book.remember(account, scopes.some((scope) => writeScopes.has(scope)) ? { access: 'fix' } : {});
      return changed(service);
    },
    'account:cancel-sign-in': async () => {
      // Nothing to cancel before the service exists; never create it (and start the demo cloud) just for this.
      const built = identity === undefined ? undefined : await identity.catch(() => undefined);
      return { cancelled: built?.service.cancelSignIn() ?? 0 };
    },
    'account:switch': async ({ homeAccountId, tenantId }) => {
      const service = await getIdentity();
      const account = await service.switchAccount(homeAccountId, tenantId);
      session.dropPending();
      book.remember(account);
      return changed(service);
    },
    'account:sign-out': async (input) => {
      const service = await getIdentity();
      const target = input?.homeAccountId ?? (await session.activeOf(service))?.homeAccountId;
      await service.signOut(target, input?.tenantId);
      if (target !== undefined) {
        forgetAccount(target);
      }
      return changed(service);
    },
    'tenant:get-overview': async () => createTenantService((await graphFor()).graph).overview(),
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
    graphForActiveAccount: () => graphFor(),
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

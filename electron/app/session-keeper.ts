import { join } from 'node:path';
import { AppError } from '../../shared/errors';
import type { Logger } from '../../shared/logging';
import type { IdentityService, SignedInAccount } from '../services/identity';
import { createSessionStore } from '../services/identity/session-store';
import type { SavedAccount, SessionStore } from '../services/identity/session-store';
import type { AccountBook } from './account-book';
import type { BuiltIdentity } from './identity-factory';

/** Keeps the live session (active account, access, labels) in `identity/session.json` and brings it back. */
export type SessionKeeper = {
  /** Adopts a newly built identity service: loads its saved session when its token cache outlives the process. */
  open(built: BuiltIdentity): Promise<void>;
  /** The saved active account not made active again yet (token cache unreachable, e.g. offline at start). */
  pending(): SavedAccount | undefined;
  /** Drops the pending account (another sign-in, a switch), or only if it is that person's. */
  dropPending(homeAccountId?: string): void;
  /**
   * The active account, making the saved one active again first when it is pending. A restore that cannot happen yet
   * (offline) leaves it pending and answers undefined, or rethrows its error with `rethrow` (Graph calls say why).
   */
  activeOf(service: IdentityService, options?: { rethrow?: boolean }): Promise<SignedInAccount | undefined>;
  /** Saves the current session of `service` (no-op for another service, or without a persistent cache). */
  save(service: IdentityService | undefined): Promise<void>;
  /** Forgets everything saved (another client ID: the tokens belong to the old registration). */
  reset(): Promise<void>;
};

/** A session keeper over the account book, writing to `<dataDir>/identity/session.json`. */
export function createSessionKeeper(deps: { dataDir: string; book: AccountBook; logger: Logger }): SessionKeeper {
  let current: { built: BuiltIdentity; store: SessionStore } | undefined;
  let pending: SavedAccount | undefined;

  const save = async (service: IdentityService | undefined) => {
    if (current === undefined || service !== current.built.service) {
      return;
    }
    const active = service.activeAccount() ?? pending;
    await current.store
      .save({
        version: 1,
        clientId: current.built.clientId,
        active: active === undefined ? null : { homeAccountId: active.homeAccountId, tenantId: active.tenantId },
        accounts: deps.book.entries(),
      })
      .catch((error: unknown) => {
        deps.logger.warn('session not saved', { error: String(error) });
      });
  };

  return {
    async open(built) {
      current = undefined;
      pending = undefined;
      if (!built.persistent) {
        return;
      }
      const store = createSessionStore({
        filePath: join(deps.dataDir, 'identity', 'session.json'),
        logger: deps.logger,
      });
      current = { built, store };
      const saved = await store.load();
      // Tokens belong to one app registration: another client ID's session has nothing to restore.
      if (saved?.clientId === built.clientId) {
        deps.book.load(saved.accounts);
        pending = saved.active === null ? undefined : deps.book.find(saved.active);
      }
    },
    pending: () => pending,
    dropPending(homeAccountId) {
      if (homeAccountId === undefined || pending?.homeAccountId === homeAccountId) {
        pending = undefined;
      }
    },
    async activeOf(service, options) {
      const active = service.activeAccount();
      const target = pending;
      if (active !== undefined || target === undefined) {
        return active;
      }
      try {
        const account = await service.switchAccount(target.homeAccountId, target.tenantId);
        pending = undefined;
        deps.logger.info('session restored', { tenantId: account.tenantId });
        return account;
      } catch (error) {
        if (error instanceof AppError && error.code === 'identity.no-account') {
          // Its tokens are gone (signed out elsewhere, cache unreadable): forget it for good.
          pending = undefined;
          deps.book.forget(target.homeAccountId);
          await save(service);
          return undefined;
        }
        deps.logger.warn('session restore deferred', { error: String(error) });
        if (options?.rethrow === true) {
          throw error;
        }
        return undefined;
      }
    },
    save,
    async reset() {
      const previous = current;
      current = undefined;
      pending = undefined;
      await previous?.store
        .save({ version: 1, clientId: previous.built.clientId, active: null, accounts: [] })
        .catch((error: unknown) => {
          deps.logger.warn('session not cleared', { error: String(error) });
        });
    },
  };
}

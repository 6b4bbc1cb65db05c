import type { AccessMode, AccountView } from '../../shared/contract/account';
import type { SignedInAccount } from '../services/identity';
import type { SavedAccount } from '../services/identity/session-store';
import { maxSavedAccounts } from '../services/identity/session-store';

/** An account in one tenant: a consultant's guest tenant is its own entry. */
export type AccountKey = { readonly homeAccountId: string; readonly tenantId: string };

/** `homeAccountId|tenantId`. */
export const keyOf = (account: AccountKey): string => `${account.homeAccountId}|${account.tenantId}`;

/** What the app knows of the accounts signed in here, beyond MSAL's cache: the chosen access and the typed tenant. */
export type AccountBook = {
  /** The access granted to this account in this tenant; read until write scopes were granted. */
  access(account: AccountKey): AccessMode;
  /** The account as shown: with the tenant as typed at sign-in, when known. */
  labelled<T extends AccountKey>(account: T): T & { tenantLabel?: string };
  /** Records (or updates) an account; fields left out keep their value. */
  remember(account: SignedInAccount, change?: { access?: AccessMode; tenantLabel?: string }): void;
  /** Drops every tenant of a person (MSAL signs the home account out with all its tenants). */
  forget(homeAccountId: string): void;
  /** One recorded account, if any. */
  find(account: AccountKey): SavedAccount | undefined;
  /** Every recorded account, oldest first. */
  entries(): SavedAccount[];
  /** Replaces the content with a saved session's accounts. */
  load(accounts: readonly SavedAccount[]): void;
};

/** An in-memory account book, bounded like the session file that persists it. */
export function createAccountBook(): AccountBook {
  const byKey = new Map<string, SavedAccount>();
  return {
    access: (account) => byKey.get(keyOf(account))?.access ?? 'read',
    labelled: (account) => {
      const label = byKey.get(keyOf(account))?.tenantLabel;
      return label === undefined ? account : { ...account, tenantLabel: label };
    },
    remember(account, change = {}) {
      const key = keyOf(account);
      const previous = byKey.get(key);
      const tenantLabel = change.tenantLabel ?? previous?.tenantLabel;
      byKey.delete(key);
      byKey.set(key, {
        homeAccountId: account.homeAccountId,
        tenantId: account.tenantId,
        username: account.username,
        name: account.name,
        access: change.access ?? previous?.access ?? 'read',
        ...(tenantLabel === undefined ? {} : { tenantLabel }),
      });
      // Bounded: the least recently recorded account goes first.
      for (const oldest of [...byKey.keys()].slice(0, Math.max(0, byKey.size - maxSavedAccounts))) {
        byKey.delete(oldest);
      }
    },
    forget(homeAccountId) {
      for (const key of [...byKey.keys()].filter((k) => k.startsWith(`${homeAccountId}|`))) {
        byKey.delete(key);
      }
    },
    find: (account) => byKey.get(keyOf(account)),
    entries: () => [...byKey.values()],
    load(accounts) {
      byKey.clear();
      for (const account of accounts.slice(-maxSavedAccounts)) {
        byKey.set(keyOf(account), account);
      }
    },
  };
}

/** The account view of a saved entry (the chip shows it while the token cache is not reachable yet). */
export function savedAccountView(account: SavedAccount): AccountView {
  return {
    homeAccountId: account.homeAccountId,
    tenantId: account.tenantId,
    username: account.username,
    name: account.name,
    ...(account.tenantLabel === undefined ? {} : { tenantLabel: account.tenantLabel }),
  };
}

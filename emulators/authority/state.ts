/**
 * In-memory state of the authority emulator: tenants and accounts, consents, pending authorizations, one-time
 * authorization codes, refresh tokens and device codes. Every collection is bounded.
 */
import { createHash, randomBytes, randomUUID } from 'node:crypto';
import type { SeedAccount, SeedTenantIdentity } from '../graph/seed/identities';

/** The Graph resource: app id and URI prefix of its scopes. */
export const graphResource = {
  appId: '00000003-0000-0000-c000-000000000000',
  uri: 'https://graph.microsoft.com',
} as const;

/** OIDC scopes that never reach an access token's `scp`. */
const oidcScopes = new Set(['openid', 'profile', 'offline_access', 'email']);

/** Claims requested by the client (`claims` parameter): client capabilities and auth context values. */
export type RequestedClaims = { readonly capabilities: readonly string[]; readonly acrs: readonly string[] };

/** What a code, refresh token or approved device code stands for. */
export type Grant = {
  readonly tenantId: string;
  readonly oid: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly claims: RequestedClaims;
  readonly nonce?: string;
};

/** A pending interactive authorization. */
export type PendingAuthorization = {
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly redirectUri: string;
  readonly scopes: readonly string[];
  readonly state: string;
  readonly nonce: string;
  readonly codeChallenge: string;
  readonly claims: RequestedClaims;
};

/** A device code in flight. */
export type DeviceCode = {
  readonly deviceCode: string;
  readonly userCode: string;
  readonly tenantSegment: string;
  readonly clientId: string;
  readonly scopes: readonly string[];
  readonly claims: RequestedClaims;
  readonly expiresAt: number;
  status: 'pending' | 'approved' | 'declined';
  grant?: Grant;
};

const maxEntries = 10_000;

/** Bounded map: the oldest entry goes when full (tests and demo never come close). */
class BoundedMap<V> extends Map<string, V> {
  override set(key: string, value: V): this {
    if (this.size >= maxEntries) {
      const first = this.keys().next();
      if (!first.done) {
        this.delete(first.value);
      }
    }
    return super.set(key, value);
  }
}

/** Normalizes requested scopes: strips the Graph URI prefix, keeps OIDC scopes as they are. */
export function normalizeScopes(raw: string): string[] {
  return raw
    .split(/\s+/)
    .filter((s) => s.length > 0)
    .map((s) => (s.toLowerCase().startsWith(`${graphResource.uri}/`) ? s.slice(graphResource.uri.length + 1) : s));
}

/** Resource scopes only (no OIDC scopes). */
export function resourceScopes(scopes: readonly string[]): string[] {
  return scopes.filter((s) => !oidcScopes.has(s));
}

/** Parses the OIDC `claims` parameter; unreadable claims count as none (Entra answers invalid_request; we are lenient). */
export function parseClaims(raw: string | null | undefined): RequestedClaims {
  if (!raw) {
    return { capabilities: [], acrs: [] };
  }
  try {
    const parsed = JSON.parse(raw) as {
      access_token?: { xms_cc?: { values?: unknown }; acrs?: { value?: unknown; values?: unknown } };
    };
    const at = parsed.access_token ?? {};
    const values = Array.isArray(at.xms_cc?.values)
      ? at.xms_cc.values.filter((v): v is string => typeof v === 'string')
      : [];
    const acrs: string[] = [];
    if (typeof at.acrs?.value === 'string') {
      acrs.push(at.acrs.value);
    }
    if (Array.isArray(at.acrs?.values)) {
      acrs.push(...at.acrs.values.filter((v): v is string => typeof v === 'string'));
    }
    return { capabilities: values, acrs };
  } catch {
    return { capabilities: [], acrs: [] };
  }
}

/** S256 PKCE transform of a verifier. */
export function s256(verifier: string): string {
  return createHash('sha256').update(verifier).digest('base64url');
}

/** Mutable authority state. */
export class AuthorityState {
  readonly tenants: readonly SeedTenantIdentity[];
  private readonly consents = new BoundedMap<Set<string>>();
  readonly pending = new BoundedMap<PendingAuthorization>();
  readonly codes = new BoundedMap<Grant & { redirectUri: string; codeChallenge: string; expiresAt: number }>();
  readonly refreshTokens = new BoundedMap<Grant>();
  readonly deviceCodes = new BoundedMap<DeviceCode>();
  private readonly guests: {
    tenant: SeedTenantIdentity;
    account: SeedAccount;
    homeTenantId: string;
    homeOid: string;
  }[] = [];
  /**
   * Auth context values (`acrs`) that only an interactive sign-in can satisfy (a conditional-access step-up, e.g.
   * MFA): a refresh token that was not issued with them cannot obtain them silently.
   */
  readonly interactionOnlyAcrs = new Set<string>();

  constructor(tenants: readonly SeedTenantIdentity[]) {
    this.tenants = tenants;
  }

  /** Finds a tenant by id or verified domain (case-insensitive). */
  findTenant(segment: string): SeedTenantIdentity | undefined {
    const s = segment.toLowerCase();
    return this.tenants.find((t) => t.id === s || t.domain.toLowerCase() === s);
  }

  /** Accounts selectable for a tenant segment (`organizations`/`common` offer every tenant's accounts). */
  accountsFor(segment: string): { tenant: SeedTenantIdentity; account: SeedAccount }[] {
    const generic = segment === 'organizations' || segment === 'common';
    const members = this.tenants
      .filter((t) => generic || this.findTenant(segment) === t)
      .flatMap((tenant) => tenant.accounts.map((account) => ({ tenant, account })));
    const guests = this.guests
      .filter((g) => generic || this.findTenant(segment) === g.tenant)
      .map(({ tenant, account }) => ({ tenant, account }));
    return [...members, ...guests];
  }

  /**
   * Invites a member of one tenant as a guest (B2B) of another: a new object id there, the same person and home
   * account (`client_info` names the home tenant, so MSAL keys both under one home account id).
   */
  addGuest(userPrincipalName: string, tenantSegment: string, roles: readonly string[] = []): string {
    const tenant = this.findTenant(tenantSegment);
    const home = this.tenants
      .flatMap((t) => t.accounts.map((account) => ({ tenant: t, account })))
      .find((x) => x.account.userPrincipalName.toLowerCase() === userPrincipalName.toLowerCase());
    if (!tenant || !home) {
      throw new Error(`cannot invite ${userPrincipalName} into ${tenantSegment}`);
    }
    const existing = this.guests.find((g) => g.tenant === tenant && g.homeOid === home.account.oid);
    if (existing) {
      return existing.account.oid;
    }
    const oid = randomUUID();
    this.guests.push({
      tenant,
      account: { ...home.account, oid, roles: [...roles] },
      homeTenantId: home.tenant.id,
      homeOid: home.account.oid,
    });
    return oid;
  }

  /** The home identity (`uid`/`utid` of `client_info`) behind an object id: itself for members, the home for guests. */
  homeOf(oid: string): { readonly tenantId: string; readonly oid: string } | undefined {
    const guest = this.guests.find((g) => g.account.oid === oid);
    if (guest) {
      return { tenantId: guest.homeTenantId, oid: guest.homeOid };
    }
    const found = this.findAccount(oid);
    return found ? { tenantId: found.tenant.id, oid } : undefined;
  }

  /** The object id of the same person in another tenant (member or guest), if they exist there. */
  sameUserIn(tenantId: string, oid: string): string | undefined {
    const home = this.homeOf(oid);
    return this.accountsFor(tenantId).find((x) => {
      const h = this.homeOf(x.account.oid);
      return h?.oid === home?.oid && h?.tenantId === home?.tenantId;
    })?.account.oid;
  }

  /** Looks up an account by object id. */
  findAccount(oid: string): { tenant: SeedTenantIdentity; account: SeedAccount } | undefined {
    return this.accountsFor('organizations').find((x) => x.account.oid === oid);
  }

  /** Resource scopes already consented by this user for this client. */
  consented(tenantId: string, oid: string, clientId: string): ReadonlySet<string> {
    return this.consents.get(`${tenantId}|${oid}|${clientId}`) ?? new Set();
  }

  /** Records consent for resource scopes (incremental: adds to what was there). */
  consent(tenantId: string, oid: string, clientId: string, scopes: readonly string[]): void {
    const key = `${tenantId}|${oid}|${clientId}`;
    const set = new Set(this.consents.get(key) ?? []);
    for (const s of resourceScopes(scopes)) {
      set.add(s);
    }
    this.consents.set(key, set);
  }

  /** Opaque random identifier (codes, refresh tokens, transactions). */
  newOpaque(bytes = 32): string {
    return randomBytes(bytes).toString('base64url');
  }

  /** A short user code for the device flow, easy to type. */
  newUserCode(): string {
    const alphabet = 'BCDFGHJKLMNPQRSTVWXZ';
    const bytes = randomBytes(8);
    return Array.from(bytes, (b) => alphabet[b % alphabet.length]).join('');
  }

  /** A fresh GUID. */
  newId(): string {
    return randomUUID();
  }
}

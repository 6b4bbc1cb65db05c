import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createGraphService } from '../../../electron/services/graph/index';
import type { IdentityService, SignedInAccount } from '../../../electron/services/identity/index';
import {
  auditScopes,
  createAutoConsentBrowser,
  createIdentityService,
  createKeyedProtection,
  createMemoryCacheStore,
} from '../../../electron/services/identity/index';
import { roleTemplateIds } from '../../../emulators/graph/index';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';
import { claimsOf } from '../../helpers/jwt';

/** A consultant signed in to their home tenant and, as a guest, to a client's tenant: one person, two tenants. */
describe('guest tenants: accounts keyed by home account and tenant', () => {
  let emu: Emulators;
  let identity: IdentityService;
  let home: SignedInAccount;
  let guest: SignedInAccount;

  beforeAll(async () => {
    emu = await startEmulators({
      authority: {
        autoSignIn: { userPrincipalName: demoAdmin },
        guests: [{ userPrincipalName: demoAdmin, tenant: 'chu-conforme.fr', roles: [roleTemplateIds.globalReader] }],
        // Shorter than MSAL's renewal window: every token is fetched from the authority with the refresh token.
        accessTokenLifetimeSeconds: 120,
      },
    });
    identity = createIdentityService({
      clientId: '0d9a1c55-7d4e-4f0b-9a3c-5e6f7a8b9c0d',
      cloud: { authorityHost: emu.authority.url, caCertPem: emu.authority.caCertPem },
      openBrowser: createAutoConsentBrowser({ authorityUrl: emu.authority.url, caCertPem: emu.authority.caCertPem }),
      cacheStore: createMemoryCacheStore(),
      cacheProtection: createKeyedProtection(randomBytes(32)),
    });
    home = await identity.signInInteractive({ tenant: 'clinique-demo.fr', scopes: [...auditScopes] });
    guest = await identity.signInInteractive({ tenant: 'chu-conforme.fr', scopes: [...auditScopes] });
  });
  afterAll(async () => {
    await emu.close();
  });

  it('lists the same home account once per tenant', async () => {
    expect(guest.homeAccountId).toBe(home.homeAccountId);
    expect(guest.tenantId).toBe(emu.graph.tenant('conforme').id);
    expect(home.tenantId).toBe(emu.graph.tenant('clinique-demo').id);
    const accounts = await identity.listAccounts();
    expect(
      accounts
        .filter((a) => a.homeAccountId === home.homeAccountId)
        .map((a) => a.tenantId)
        .sort(),
    ).toEqual([home.tenantId, guest.tenantId].sort());
  });

  it('acquires each tenant’s token from that tenant’s authority, refresh included', async () => {
    for (let round = 0; round < 2; round++) {
      const inGuest = claimsOf(
        await identity.getAccessToken({
          scopes: ['User.Read.All'],
          homeAccountId: guest.homeAccountId,
          tenantId: guest.tenantId,
        }),
      );
      const inHome = claimsOf(
        await identity.getAccessToken({
          scopes: ['User.Read.All'],
          homeAccountId: home.homeAccountId,
          tenantId: home.tenantId,
        }),
      );
      expect(inGuest.tid).toBe(guest.tenantId);
      expect(inHome.tid).toBe(home.tenantId);
      // The guest is another directory object in the client's tenant, with the roles given there.
      expect(inGuest.oid).not.toBe(inHome.oid);
      expect(inGuest.wids).toEqual([roleTemplateIds.globalReader]);
    }
  });

  it('switches to the guest tenant and reads that tenant through Graph', async () => {
    const active = await identity.switchAccount(guest.homeAccountId, guest.tenantId);
    expect(active.tenantId).toBe(guest.tenantId);
    const graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: active.tenantId,
      readScopes: auditScopes,
      tokens: (r) => identity.getAccessToken({ ...r, homeAccountId: active.homeAccountId, tenantId: active.tenantId }),
    });
    try {
      const org = await graph.get<{ value: { displayName: string }[] }>('/organization');
      expect(org.value[0]?.displayName).toBe('CHU Conforme');
    } finally {
      graph.close();
    }
    await identity.switchAccount(home.homeAccountId);
    expect(identity.activeAccount()?.tenantId).toBe(home.tenantId);
  });
});

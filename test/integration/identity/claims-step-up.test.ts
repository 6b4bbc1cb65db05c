import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { GraphService } from '../../../electron/services/graph/index';
import { createGraphService } from '../../../electron/services/graph/index';
import type { IdentityService } from '../../../electron/services/identity/index';
import {
  auditScopes,
  createAutoConsentBrowser,
  createIdentityService,
  createKeyedProtection,
  createMemoryCacheStore,
} from '../../../electron/services/identity/index';
import { AppError } from '../../../shared/errors';
import type { Emulators } from '../../helpers/emulators/index';
import { demoAdmin, startEmulators } from '../../helpers/emulators/index';
import { claimsOf } from '../../helpers/jwt';

describe('claims challenge that only an interactive sign-in satisfies, and the authority offline', () => {
  let emu: Emulators;
  let identity: IdentityService;
  let graph: GraphService;
  let authorizePages = 0;
  const tokens: string[] = [];

  beforeAll(async () => {
    emu = await startEmulators({
      // Tokens shorter than MSAL's 5-minute renewal window: every acquisition reaches the authority.
      authority: {
        autoSignIn: { userPrincipalName: demoAdmin },
        interactionOnlyAcrs: ['c1'],
        accessTokenLifetimeSeconds: 120,
      },
    });
    const browser = createAutoConsentBrowser({ authorityUrl: emu.authority.url, caCertPem: emu.authority.caCertPem });
    identity = createIdentityService({
      clientId: '0d9a1c55-7d4e-4f0b-9a3c-5e6f7a8b9c0d',
      cloud: { authorityHost: emu.authority.url, caCertPem: emu.authority.caCertPem },
      openBrowser: async (url) => {
        authorizePages++;
        await browser(url);
      },
      cacheStore: createMemoryCacheStore(),
      cacheProtection: createKeyedProtection(randomBytes(32)),
    });
    await identity.signInInteractive({ tenant: 'clinique-demo.fr', scopes: [...auditScopes] });
    graph = createGraphService({
      baseUrl: emu.graph.url,
      caCertPem: emu.graph.caCertPem,
      tenantId: emu.graph.tenant('clinique-demo').id,
      readScopes: auditScopes,
      tokens: async (r) => {
        const token = await identity.getAccessToken(r);
        tokens.push(token);
        return token;
      },
      retry: { baseDelayMs: 10, maxDelayMs: 50, maxAttempts: 3 },
    });
  });
  afterAll(async () => {
    graph.close();
    await emu.close();
  });

  it('reports graph.claims-required with the claims and scopes when silent re-acquisition cannot satisfy them', async () => {
    emu.graph.setFaults([{ kind: 'claims', route: /^GET \/users$/, acrs: 'c1' }]);
    const pagesBefore = authorizePages;
    const error: unknown = await graph.get('/users?$top=1').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(AppError);
    const appError = error as AppError;
    expect(appError.code).toBe('graph.claims-required');
    const claims = appError.details?.claims;
    expect(typeof claims).toBe('string');
    expect(JSON.parse(String(claims))).toMatchObject({ access_token: { acrs: { value: 'c1' } } });
    expect(appError.details?.scopes).toEqual([...auditScopes]);
    // Never an interactive prompt behind the user's back.
    expect(authorizePages).toBe(pagesBefore);
  });

  it('an interactive sign-in with those claims satisfies the challenge, and the failed read then succeeds', async () => {
    const error = (await graph.get('/users?$top=1').catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('graph.claims-required');
    const scopes = error.details?.scopes as string[];
    const claims = error.details?.claims as string;
    const pagesBefore = authorizePages;
    await identity.requestScopes(scopes, undefined, claims);
    expect(authorizePages).toBe(pagesBefore + 1);
    const body = await graph.get<{ value: unknown[] }>('/users?$top=1');
    expect(body.value.length).toBe(1);
    expect(claimsOf(tokens.at(-1) ?? '').acrs).toEqual(['c1']);
  });

  it('maps a token refresh that cannot reach the authority to graph.offline, keeping the identity cause', async () => {
    emu.graph.setFaults([]);
    await emu.authority.setOffline(true);
    try {
      const error: unknown = await graph.get('/organization').catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('graph.offline');
      expect((error as AppError).details?.outcomeUnknown).toBe(false);
      expect(((error as AppError).cause as AppError).code).toBe('identity.offline');
      // Nothing reached Graph without a token.
      expect(emu.graph.requests.some((r) => r.path === '/organization')).toBe(false);
    } finally {
      await emu.authority.setOffline(false);
    }
    const org = await graph.get<{ value: unknown[] }>('/organization');
    expect(org.value.length).toBe(1);
  });
});

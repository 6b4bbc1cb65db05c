import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DemoCloud } from '../../../emulators/graph/demo';
import { startDemoCloud } from '../../../emulators/graph/demo';
import { createGraphService } from '../../../electron/services/graph/index';
import {
  auditScopes,
  createAutoConsentBrowser,
  createIdentityService,
  createKeyedProtection,
  createMemoryCacheStore,
} from '../../../electron/services/identity/index';
import { randomBytes } from 'node:crypto';

describe('demo mode: one-click sign-in and reading clinique-demo in process', () => {
  let demo: DemoCloud;
  beforeAll(async () => {
    demo = await startDemoCloud();
  });
  afterAll(async () => {
    await demo.close();
  });

  it('signs the demo administrator in without a person and reads the tenant through Graph', async () => {
    const identity = createIdentityService({
      clientId: 'a1b2c3d4-0000-4000-8000-000000000de0',
      cloud: { authorityHost: demo.authority.url, caCertPem: demo.authority.caCertPem },
      openBrowser: createAutoConsentBrowser({ authorityUrl: demo.authority.url, caCertPem: demo.authority.caCertPem }),
      cacheStore: createMemoryCacheStore(),
      cacheProtection: createKeyedProtection(randomBytes(32)),
    });
    const account = await identity.signInInteractive({ tenant: demo.tenantDomain, scopes: [...auditScopes] });
    expect(account.username).toBe(demo.userPrincipalName);

    const graph = createGraphService({
      baseUrl: demo.graph.url,
      caCertPem: demo.graph.caCertPem,
      tenantId: account.tenantId,
      readScopes: [...auditScopes],
      tokens: (r) => identity.getAccessToken(r),
    });
    const org = await graph.get<{ value: { displayName: string }[] }>('/organization');
    expect(org.value[0]?.displayName).toBe('Clinique Démo Saint-Martin');
    let users = 0;
    for await (const _u of graph.items('/users?$select=id,displayName,onPremisesSyncEnabled,authorizationInfo')) {
      users++;
    }
    expect(users).toBe(demo.graph.tenant('clinique-demo').users.length);
    const x509 = await graph.get<{ state: string }>(
      '/policies/authenticationMethodsPolicy/authenticationMethodConfigurations/x509Certificate',
    );
    expect(x509.state).toBe('enabled');
    graph.close();
  });

  it('refuses to drive any host other than the emulator', async () => {
    const open = createAutoConsentBrowser({ authorityUrl: demo.authority.url, caCertPem: demo.authority.caCertPem });
    await expect(open('https://login.microsoftonline.com/common/oauth2/v2.0/authorize')).rejects.toMatchObject({
      code: 'identity.failed',
    });
  });
});

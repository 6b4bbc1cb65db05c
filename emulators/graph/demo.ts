/**
 * Demo cloud: the authority and Graph emulators started together in-process, the authority auto-signing-in the
 * `clinique-demo` administrator so that the app's "Se connecter" completes in one click without a person.
 *
 * The host wires it as: identity with `cloud = { authorityHost: authority.url, caCertPem: authority.caCertPem }`
 * and `openBrowser = createAutoConsentBrowser({ authorityUrl, caCertPem })`; graph with `baseUrl: graph.url`,
 * `caCertPem: graph.caCertPem` and `tokens = (r) => identity.getAccessToken(r)`.
 */
import type { AuthorityEmulator, AuthorityEmulatorOptions } from '../authority/index';
import { startAuthorityEmulator } from '../authority/index';
import type { GraphEmulator, GraphEmulatorOptions } from './index';
import { startGraphEmulator } from './index';
import { seedTenantIdentities } from './seed/identities';

/** The running demo cloud. */
export type DemoCloud = {
  readonly authority: AuthorityEmulator;
  readonly graph: GraphEmulator;
  /** Tenant id and domain of `clinique-demo`. */
  readonly tenantId: string;
  readonly tenantDomain: string;
  /** The account signed in without a page. */
  readonly userPrincipalName: string;
  close(): Promise<void>;
};

/** Test hooks: extra emulator options (faults, step-up auth contexts, a conformance checker). */
export type DemoCloudOptions = {
  readonly authority?: Omit<AuthorityEmulatorOptions, 'autoSignIn'>;
  readonly graph?: Omit<GraphEmulatorOptions, 'jwks' | 'authorityUrl'>;
};

/** Starts the demo cloud on loopback (random ports). */
export async function startDemoCloud(options: DemoCloudOptions = {}): Promise<DemoCloud> {
  const tenant = seedTenantIdentities.find((t) => t.key === 'clinique-demo');
  const admin = tenant?.accounts[0];
  if (!tenant || !admin) {
    throw new Error('clinique-demo seed missing');
  }
  const authority = await startAuthorityEmulator({
    ...options.authority,
    autoSignIn: { userPrincipalName: admin.userPrincipalName },
  });
  const graph = await startGraphEmulator({ ...options.graph, jwks: authority.jwks, authorityUrl: authority.url });
  return {
    authority,
    graph,
    tenantId: tenant.id,
    tenantDomain: tenant.domain,
    userPrincipalName: admin.userPrincipalName,
    close: async () => {
      await graph.close();
      await authority.close();
    },
  };
}

import { startAuthorityEmulator } from '../../emulators/authority';
import type { AuthorityEmulator } from '../../emulators/authority';
import { startGraphEmulator } from '../../emulators/graph';
import type { GraphEmulator } from '../../emulators/graph';

/** The demo clinic's admin, signed in without a page by the emulated authority. */
export const demoAdmin = 'camille.admin@clinique-demo.fr';
export const demoTenantDomain = 'clinique-demo.fr';
/** Client id of the demo app registration (any GUID: the emulated authority accepts it). */
export const demoClientId = '3f1d9c2b-6a5e-4c7d-9b8a-0e1f2a3b4c5d';

/** Microsoft's cloud as demo mode sees it: the authority and Graph emulators on loopback HTTPS. */
export type DemoCloud = { authority: AuthorityEmulator; graph: GraphEmulator; close(): Promise<void> };

/** Start both emulators in-process with the seeded tenants (`clinique-demo` is the one demo mode signs in to). */
export async function startDemoCloud(): Promise<DemoCloud> {
  const authority = await startAuthorityEmulator({ autoSignIn: { userPrincipalName: demoAdmin } });
  const graph = await startGraphEmulator({ jwks: authority.jwks, authorityUrl: authority.url });
  return {
    authority,
    graph,
    async close() {
      await graph.close();
      await authority.close();
    },
  };
}

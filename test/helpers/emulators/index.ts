/**
 * Starts the authority and Graph emulators together, wired (Graph trusts the authority's JWKS).
 */
import type { AuthorityEmulator, AuthorityEmulatorOptions } from '../../../emulators/authority/index';
import { startAuthorityEmulator } from '../../../emulators/authority/index';
import type { GraphEmulator, GraphEmulatorOptions } from '../../../emulators/graph/index';
import { startGraphEmulator } from '../../../emulators/graph/index';

/** Both emulators. */
export type Emulators = {
  readonly authority: AuthorityEmulator;
  readonly graph: GraphEmulator;
  close(): Promise<void>;
};

/** Starts both emulators on loopback. */
export async function startEmulators(
  options: { authority?: AuthorityEmulatorOptions; graph?: Omit<GraphEmulatorOptions, 'jwks' | 'authorityUrl'> } = {},
): Promise<Emulators> {
  const authority = await startAuthorityEmulator(options.authority);
  const graph = await startGraphEmulator({ jwks: authority.jwks, authorityUrl: authority.url, ...options.graph });
  return {
    authority,
    graph,
    close: async () => {
      await graph.close();
      await authority.close();
    },
  };
}

/** Seeded demo administrator (Global Administrator of `clinique-demo`). */
export const demoAdmin = 'camille.admin@clinique-demo.fr';
/** Seeded Global Reader of `clinique-demo`. */
export const demoReader = 'lecteur@clinique-demo.fr';

/**
 * Starts the authority and Graph emulators together, wired (Graph trusts the authority's JWKS).
 */
import type { AuthorityEmulator, AuthorityEmulatorOptions } from '../../../emulators/authority/index';
import { startAuthorityEmulator } from '../../../emulators/authority/index';
import type { GraphEmulator, GraphEmulatorOptions } from '../../../emulators/graph/index';
import { startGraphEmulator } from '../../../emulators/graph/index';
import { assertConformant, createGraphConformanceChecker } from './graph-conformance';

/** Both emulators. */
export type Emulators = {
  readonly authority: AuthorityEmulator;
  readonly graph: GraphEmulator;
  close(): Promise<void>;
};

/**
 * Whether to check Graph schema conformance: on by default in test runs (vitest), off in benchmarks and the chaos
 * run (bundled outside vitest: the check would skew their figures), unless asked explicitly.
 */
export function conformanceWanted(asked: boolean | undefined): boolean {
  return asked ?? process.env.VITEST !== undefined;
}

/**
 * Starts both emulators on loopback. Graph schema conformance is on in tests unless `conformance: false` (a test that
 * sends off-schema bodies on purpose): every request body and response is checked, and `close()` fails on any finding.
 */
export async function startEmulators(
  options: {
    authority?: AuthorityEmulatorOptions;
    graph?: Omit<GraphEmulatorOptions, 'jwks' | 'authorityUrl'>;
    conformance?: boolean;
  } = {},
): Promise<Emulators> {
  const authority = await startAuthorityEmulator(options.authority);
  const graph = await startGraphEmulator({
    jwks: authority.jwks,
    authorityUrl: authority.url,
    ...(conformanceWanted(options.conformance) ? { conformance: createGraphConformanceChecker() } : {}),
    ...options.graph,
  });
  return {
    authority,
    graph,
    close: async () => {
      await graph.close();
      await authority.close();
      assertConformant(graph.violations);
    },
  };
}

/** Seeded demo administrator (Global Administrator of `clinique-demo`). */
export const demoAdmin = 'camille.admin@clinique-demo.fr';
/** Seeded Global Reader of `clinique-demo`. */
export const demoReader = 'lecteur@clinique-demo.fr';
